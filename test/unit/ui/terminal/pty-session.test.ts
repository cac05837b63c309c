import { afterEach, describe, expect, test } from 'vitest';
import { PtySession } from '../../../../src/ui/terminal/pty-session.js';
import { runsToText } from '../../../helpers/screen-text.js';

/** A real pty on the host (no container): the emulator, replies, holding and resizing. */

const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

function spawn(script: string, cols = 40, rows = 10): PtySession {
  const session = new PtySession(
    {
      file: 'bash',
      args: ['--norc', '--noprofile', '-c', script],
      env: { PATH: process.env.PATH, TERM: 'xterm-256color' },
    },
    { cols, rows, frameMs: 5 },
  );
  sessions.push(session);
  return session;
}

const text = (s: PtySession) => s.snapshot().lines.map(runsToText).join('\n');

async function until(s: PtySession, wanted: string | RegExp, ms = 5000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const screen = text(s);
    if (typeof wanted === 'string' ? screen.includes(wanted) : wanted.test(screen)) return screen;
    if (Date.now() > end) throw new Error(`timed out waiting for ${wanted}; screen:\n${screen}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PtySession', () => {
  test('answers device-attribute and cursor-position queries to the program', async () => {
    const s = spawn(
      `stty raw -echo; printf '\\033[c'; IFS= read -r -s -d c -t 3 da; printf '\\033[6n'; IFS= read -r -s -d R -t 3 pos; stty sane; echo "DA=\${da:1} POS=\${pos:1}"`,
    );
    const screen = await until(s, 'DA=');
    expect(screen).toContain('DA=[?1;2 POS=[1;1');
  });

  test('input is passed on byte-exact: arrows, Alt, F-keys, Ctrl-C', async () => {
    const s = spawn(`stty raw -echo; head -c 16 | od -An -c | tr -s ' '; sleep 5`, 80, 10);
    await until(s, /^/);
    await new Promise((r) => setTimeout(r, 200));
    s.write('\x1b[A\x1bOB\x1bx\x1bOP\x03');
    // 3 + 3 + 2 + 3 + 1 = 12 bytes; four more to fill the 16.
    s.write('abcd');
    const screen = await until(s, 'a b c d');
    expect(screen.replace(/\s+/g, ' ')).toContain('033 [ A 033 O B 033 x 033 O P 003 a b c d');
  });

  test('held input is kept in order and delivered on release', async () => {
    const s = spawn(`stty -echo; while IFS= read -r line; do echo "got:$line"; done`);
    await new Promise((r) => setTimeout(r, 200));
    s.hold(true);
    s.write('one\r');
    s.write('two\r');
    expect(s.heldBytes).toBe(8);
    await new Promise((r) => setTimeout(r, 300));
    expect(text(s)).not.toContain('got:');
    s.hold(false);
    const screen = await until(s, 'got:two');
    expect(screen.indexOf('got:one')).toBeLessThan(screen.indexOf('got:two'));
  });

  test('resize changes the pty and the emulator together', async () => {
    const s = spawn(`sleep 0.3; stty size; sleep 5`, 40, 10);
    s.resize(50, 12);
    expect(s.snapshot().cols).toBe(50);
    expect(s.snapshot().lines).toHaveLength(12);
    await until(s, '12 50');
  });

  test('a flood of output is parsed completely (back-pressure does not lose data)', async () => {
    // The program stays: node-pty may drop the last bytes of one that exits mid-flood.
    const s = spawn(
      `head -c 6000000 /dev/zero | tr '\\0' x; echo; echo END-OF-FLOOD; sleep 10`,
      80,
      5,
    );
    await until(s, 'END-OF-FLOOD', 20_000);
  }, 30_000);

  test('the echo of typing is shown at once, not after the frame budget', async () => {
    const s = new PtySession(
      { file: 'cat', args: [], env: { PATH: process.env.PATH, TERM: 'xterm-256color' } },
      { cols: 20, rows: 3, frameMs: 10_000 },
    );
    sessions.push(s);
    const changed = () => new Promise<void>((resolve) => s.onChange(resolve));
    // A first frame (cat's echo) starts the 10 s budget.
    s.write('a');
    await changed();
    const started = Date.now();
    const next = changed();
    s.write('b');
    await next;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(text(s)).toContain('ab');
  });

  test('reports the exit of the program', async () => {
    const s = spawn('exit 3');
    const code = await new Promise<number>((resolve) => s.onExit(resolve));
    expect(code).toBe(3);
    expect(s.exited).toBe(true);
  });
});
