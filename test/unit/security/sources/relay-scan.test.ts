import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayScan } from '../../../../src/security/sources/relay-scan.js';

/** A fake /proc with `node relay.js` (pid 101) feeding `/bin/sh` (pid 100) over socketpairs. */
let proc: string;

beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'coi-fake-proc-'));
  const process = (pid: number, argv: string[], fds: Record<number, string>) => {
    const dir = join(proc, String(pid));
    mkdirSync(join(dir, 'fd'), { recursive: true });
    mkdirSync(join(dir, 'net'), { recursive: true });
    writeFileSync(join(dir, 'cmdline'), `${argv.join('\0')}\0`);
    for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(dir, 'fd', fd));
    writeFileSync(
      join(dir, 'net', 'tcp'),
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   1: 0500630A:A8CA 0100630A:115C 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0 20 4 30 10 -1\n',
    );
    writeFileSync(
      join(dir, 'net', 'unix'),
      'Num       RefCount Protocol Flags    Type St Inode Path\n' +
        [10, 11, 12, 13]
          .map((i) => `0000000000000000: 00000002 00000000 00000000 0001 03 ${i}\n`)
          .join(''),
    );
  };
  process(100, ['/bin/sh'], { 0: 'socket:[10]', 1: 'socket:[12]', 2: 'socket:[12]' });
  process(101, ['node', 'relay.js'], { 3: 'socket:[2222]', 4: 'socket:[11]', 5: 'socket:[13]' });
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

const SHELL = { pid: 100, command: '/bin/sh', argv: ['/bin/sh'], stdin: 'socket:[10]' };
const PAIRS = new Map([
  [10, 11],
  [11, 10],
  [12, 13],
  [13, 12],
]);

describe('RelayScan', () => {
  it("follows a shell's unix socketpair stdio to the process holding the connection", () => {
    const asked: number[] = [];
    const scan = new RelayScan(proc, (pid) => (asked.push(pid), PAIRS));
    const alert = scan.check('c1', SHELL, () => [100, 101]);
    expect(alert).toMatchObject({
      level: 'critical',
      evidence: { process: { pattern: 'unix-relay', class: 'relay' } },
    });
    expect(alert?.description).toContain('through a unix socket fed by process 101');
    // The peers are kept: the next pass does not ask again.
    scan.clear();
    scan.check('c1', SHELL, () => [100, 101]);
    expect(asked).toEqual([100]);
  });

  it('sees nothing without the peers: /proc alone does not link the two ends', () => {
    const scan = new RelayScan(proc, () => new Map());
    expect(scan.check('c1', SHELL, () => [100, 101])).toBeUndefined();
  });
});
