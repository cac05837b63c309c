import { describe, expect, it } from 'vitest';
import { IoVolumeDetector } from '../../../../src/security/detectors/io-volume.js';

const MB = 1024 * 1024;

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
