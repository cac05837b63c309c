import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseBlkioV1,
  parseIoCounters,
  parseIoStatV2,
} from '../../../../src/security/sources/io-stat-parse.js';

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

  it('tells the formats apart by content, whichever the caller has', () => {
    const v2 = '8:0 rbytes=7 wbytes=11 rios=1 wios=1 dbytes=0 dios=0\n';
    const v1 = '8:0 Read 7\n8:0 Write 11\nTotal 18\n';
    expect(parseIoCounters(v2).total).toEqual({ readBytes: 7, writeBytes: 11 });
    expect(parseIoCounters(v1).total).toEqual({ readBytes: 7, writeBytes: 11 });
    // Each parser alone counts nothing in the other's format.
    expect(parseBlkioV1(v2).total).toEqual({ readBytes: 0, writeBytes: 0 });
    expect(parseIoStatV2(v1).total).toEqual({ readBytes: 0, writeBytes: 0 });
  });

  // This host's own root cgroup file, checked against a second, deliberately naive reading.
  const hostFile = [
    '/sys/fs/cgroup/io.stat',
    '/sys/fs/cgroup/blkio/blkio.throttle.io_service_bytes',
  ].find(existsSync);

  it.skipIf(!hostFile)("agrees with a line-by-line reading of this host's counters", () => {
    const text = readFileSync(hostFile!, 'utf8');
    const naive = { devices: new Set<string>(), readBytes: 0, writeBytes: 0 };
    for (const line of text.split('\n')) {
      const device = /^(\d+:\d+) /.exec(line)?.[1];
      if (!device) continue;
      naive.devices.add(device);
      for (const [, key, value] of line.matchAll(/\b(rbytes|wbytes)=(\d+)/g)) {
        if (key === 'rbytes') naive.readBytes += Number(value);
        else naive.writeBytes += Number(value);
      }
      const v1 = /^\S+ (Read|Write) (\d+)$/.exec(line);
      if (v1?.[1] === 'Read') naive.readBytes += Number(v1[2]);
      if (v1?.[1] === 'Write') naive.writeBytes += Number(v1[2]);
    }
    const stat = parseIoCounters(text);
    expect(stat.total).toEqual({ readBytes: naive.readBytes, writeBytes: naive.writeBytes });
    expect(new Set(stat.devices.keys())).toEqual(naive.devices);
  });
});
