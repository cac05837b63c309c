import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { IoVolumeDetector } from '../../../../src/security/detectors/io-volume.js';
import {
  parseBlkioV1,
  parseIoCounters,
  parseIoStatV2,
} from '../../../../src/security/sources/io-stat-parse.js';

const MB = 1024 * 1024;

describe('cgroup I/O counters', () => {
  it('reads cgroup v2 io.stat, summing devices', () => {
    const stat = parseIoStatV2(
      '8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n' +
        '253:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n',
    );
    expect(stat.devices.get('8:16')).toEqual({ readBytes: 1459200, writeBytes: 314773504 });
    expect(stat.total).toEqual({ readBytes: 1459300, writeBytes: 314773704 });
  });

  it('reads cgroup v1 blkio.throttle.io_service_bytes', () => {
    const text = [
      '8:0 Read 4096',
      '8:0 Write 8192',
      '8:0 Sync 12288',
      '8:0 Async 0',
      '8:0 Discard 0',
      '8:0 Total 12288',
      '8:16 Read 1',
      'Total 12289',
    ].join('\n');
    expect(parseBlkioV1(text).total).toEqual({ readBytes: 4097, writeBytes: 8192 });
    expect(parseIoCounters(text).total.readBytes).toBe(4097);
  });

  it('parses whatever this host has', () => {
    const file = [
      '/sys/fs/cgroup/io.stat',
      '/sys/fs/cgroup/blkio/blkio.throttle.io_service_bytes',
    ].find(existsSync);
    if (!file) return;
    const stat = parseIoCounters(readFileSync(file, 'utf8'));
    expect(stat.total.readBytes).toBeGreaterThanOrEqual(0);
  });
});

describe('I/O volume detector', () => {
  const thresholds = { readMb: 50, readRateMbPerSec: 10, writeMb: 50, writeRateMbPerSec: 10 };

  it('takes the first sample as the baseline', () => {
    const detector = new IoVolumeDetector(thresholds);
    expect(detector.observe({ readBytes: 10_000 * MB, writeBytes: 0 }, 0)).toEqual([]);
  });

  it('flags a large read between samples as high', () => {
    const detector = new IoVolumeDetector(thresholds);
    detector.observe({ readBytes: 0, writeBytes: 0 }, 0);
    const [alert] = detector.observe({ readBytes: 60 * MB, writeBytes: 1 * MB }, 10_000);
    expect(alert).toMatchObject({
      level: 'high',
      category: 'filesystem',
      title: 'Large workspace read detected',
    });
    expect(alert?.evidence).toEqual({
      filesystem: {
        direction: 'read',
        bytes_mb: 60,
        rate_mb_per_sec: 6,
        threshold_mb: 50,
        rate_threshold_mb_per_sec: 10,
        duration_sec: 10,
      },
    });
  });

  it('flags a fast write even below the volume threshold', () => {
    const detector = new IoVolumeDetector(thresholds);
    detector.observe({ readBytes: 0, writeBytes: 0 }, 0);
    const alerts = detector.observe({ readBytes: 0, writeBytes: 30 * MB }, 2_000);
    expect(alerts.map((a) => a.title)).toEqual(['Large workspace write detected']);
  });

  it('treats counters that went down as no I/O, and 0 thresholds as off', () => {
    const detector = new IoVolumeDetector({ ...thresholds, writeMb: 0, writeRateMbPerSec: 0 });
    detector.observe({ readBytes: 500 * MB, writeBytes: 0 }, 0);
    expect(detector.observe({ readBytes: 0, writeBytes: 900 * MB }, 1_000)).toEqual([]);
  });
});
