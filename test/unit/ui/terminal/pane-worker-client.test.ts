import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PaneWorker } from '../../../../src/ui/terminal/pane-worker-client.js';
import type { RemotePtySession } from '../../../../src/ui/terminal/remote-pty-session.js';
import { runsToText } from '../../../helpers/screen-text.js';

/**
 * The real worker thread (started from src/ through tsx, as under the benches) with a real pty
 * on the host: output comes back as frames, input and resizes go in, exits are reported.
 */

const worker = new PaneWorker();
afterAll(() => worker.dispose());

function open(script: string, cols = 40, rows = 6): RemotePtySession {
  return worker.open(
    {
      file: 'bash',
      args: ['--norc', '--noprofile', '-c', script],
      env: { PATH: process.env.PATH, TERM: 'xterm-256color' },
    },
    { cols, rows, frameMs: 5 },
  );
}

const text = (s: RemotePtySession) => s.snapshot().lines.map(runsToText).join('\n');

function until(s: RemotePtySession, wanted: string, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${wanted}; screen:\n${text(s)}`)),
      ms,
    );
    const check = () => {
      if (!text(s).includes(wanted)) return;
      clearTimeout(timer);
      off();
      resolve(text(s));
    };
    const off = s.onChange(check);
    check();
  });
}

describe('PaneWorker', () => {
  test('a program runs in the worker: its screen arrives as frames, its exit code after them', async () => {
    const s = open(`printf '\\033[1;31mred\\033[0m\\n'; echo second line; exit 7`);
    const exited = new Promise<number>((resolve) => s.onExit(resolve));
    await s.started;
    expect(s.pid).toBeGreaterThan(0);
    expect(await exited).toBe(7);
    expect(text(s)).toContain('red');
    expect(text(s)).toContain('second line');
    expect(s.snapshot().lines[0]![0]!.style.fg).toBe(1);
  }, 20_000);

  test('input goes to the program; held input waits for release', async () => {
    const s = open(`stty -echo; while IFS= read -r line; do echo "got:$line"; done`);
    await s.started;
    s.write('one\r');
    await until(s, 'got:one');
    s.hold(true);
    s.write('two\r');
    expect(s.heldBytes).toBe(4);
    await new Promise((r) => setTimeout(r, 200));
    expect(text(s)).not.toContain('got:two');
    s.hold(false);
    await until(s, 'got:two');
    s.kill();
  }, 20_000);

  test('resize reaches the pty and the emulator', async () => {
    const s = open(`sleep 0.5; stty size; sleep 5`, 40, 6);
    await s.started;
    s.resize(50, 8);
    await until(s, '8 50');
    expect(s.snapshot().cols).toBe(50);
    expect(s.snapshot().lines).toHaveLength(8);
    s.kill();
  }, 20_000);

  test('a flood is parsed completely in the worker, in few frames', async () => {
    const s = open(
      `head -c 4000000 /dev/zero | tr '\\0' x; echo; echo END-OF-FLOOD; sleep 10`,
      80,
      5,
    );
    let frames = 0;
    s.onChange(() => (frames += 1));
    const start = Date.now();
    await until(s, 'END-OF-FLOOD', 20_000);
    // At most one frame per 5 ms and one in flight: far fewer frames than pty reads.
    expect(frames).toBeLessThanOrEqual((Date.now() - start) / 5 + 2);
    s.kill();
  }, 30_000);

  test('after kill nothing of the session reaches the UI thread', async () => {
    const s = open(`while :; do echo tick; sleep 0.01; done`);
    await until(s, 'tick');
    let after = 0;
    s.onChange(() => (after += 1));
    s.kill();
    const screen = text(s);
    await new Promise((r) => setTimeout(r, 200));
    expect(after).toBe(0);
    expect(text(s)).toBe(screen);
  }, 20_000);

  /** A fresh node process running `script` (ESM, from the repository root, through tsx). */
  const inProcess = (script: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..', '..', '..', '..'),
      encoding: 'utf8',
      timeout: 15_000,
    });
  const IMPORT = `const { PaneWorker } = await import('./src/ui/terminal/pane-worker-client.ts');`;

  test('the thread keeps the process alive while a session runs, and not once it is idle', () => {
    // Nothing else keeps this process alive: no stdin, no timer.
    const r = inProcess(`${IMPORT}
      const s = new PaneWorker().open({ file: 'bash', args: ['-c', 'sleep 0.5; exit 4'] }, { cols: 20, rows: 2 });
      s.onExit((code) => console.log('session exit ' + code));`);
    expect(r.stdout, r.stderr).toContain('session exit 4');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  }, 20_000);

  test('dispose ends a running program (one that ignores SIGHUP too), then the thread, and the process exits cleanly', () => {
    const r = inProcess(`${IMPORT}
      const worker = new PaneWorker();
      const s = worker.open({ file: 'bash', args: ['-c', 'trap "" HUP; exec sleep 60'] }, { cols: 20, rows: 2 });
      await s.started;
      console.log('pid ' + s.pid);
      worker.dispose();`);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const pid = Number(/pid (\d+)/.exec(r.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  }, 20_000);
});
