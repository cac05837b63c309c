import { describe, expect, test } from 'vitest';
import type { ToWorker } from '../../../../src/ui/terminal/pane-protocol.js';
import { RemotePtySession } from '../../../../src/ui/terminal/remote-pty-session.js';
import { blankRow } from '../../../../src/ui/terminal/screen-snapshot.js';
import { runsToText } from '../../../helpers/screen-text.js';

/** The UI thread's side of the protocol, against a scripted worker. */

const MODES = {
  applicationCursorKeysMode: true,
  applicationKeypadMode: false,
  bracketedPasteMode: true,
  mouseTrackingMode: 'none' as const,
};

function session() {
  const sent: ToWorker[] = [];
  const s = new RemotePtySession(7, { cols: 4, rows: 2 }, (m) => sent.push(m));
  const frame = (y: number, text: string) =>
    s.receive({
      type: 'frame',
      id: 7,
      cols: 4,
      rows: 2,
      changed: [[y, [{ ...blankRow(4)[0]!, text }]]],
      modes: MODES,
    });
  return { s, sent, frame };
}

const nextTurn = () => new Promise((r) => setImmediate(r));
const text = (s: RemotePtySession) => s.snapshot().lines.map(runsToText);

describe('RemotePtySession', () => {
  test('a frame updates the screen and the modes, and is acknowledged once it is drawn', async () => {
    const { s, sent, frame } = session();
    expect(text(s)).toEqual(['    ', '    ']);
    let heard = 0;
    s.onChange(() => (heard += 1));
    frame(1, 'ab  ');
    expect(heard).toBe(1);
    expect(text(s)).toEqual(['    ', 'ab  ']);
    expect(s.modes).toEqual(MODES);
    // Not in the same turn: React draws the update first.
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual([{ type: 'ack', id: 7 }]);
  });

  test('typing is sent as input, or held (counted) while frozen and sent in order on release', () => {
    const { s, sent } = session();
    s.write('a');
    s.hold(true);
    s.write('bc');
    s.write('d');
    expect(s.heldBytes).toBe(3);
    expect(sent).toEqual([{ type: 'input', id: 7, bytes: 'a' }]);
    s.hold(false);
    expect(s.heldBytes).toBe(0);
    expect(sent.at(-1)).toEqual({ type: 'input', id: 7, bytes: 'bcd' });
  });

  test('started resolves with the pid; a failure to start rejects it', async () => {
    const ok = session();
    ok.s.receive({ type: 'started', id: 7, pid: 1234 });
    await ok.s.started;
    expect(ok.s.pid).toBe(1234);
    const bad = session();
    bad.s.receive({ type: 'failed', id: 7, message: 'no such file' });
    await expect(bad.s.started).rejects.toThrow('no such file');
  });

  test('after kill: the worker is told once, and nothing it still sends is shown or acknowledged', async () => {
    const { s, sent, frame } = session();
    frame(0, 'old ');
    s.kill();
    s.kill();
    expect(sent.filter((m) => m.type === 'close')).toHaveLength(1);
    frame(0, 'new ');
    await nextTurn();
    expect(text(s)[0]).toBe('old ');
    expect(sent.filter((m) => m.type === 'ack')).toHaveLength(0);
    s.write('x');
    expect(sent.filter((m) => m.type === 'input')).toHaveLength(0);
  });

  test('an exit is reported with its code; input after it goes nowhere', () => {
    const { s, sent } = session();
    const codes: number[] = [];
    s.onExit((code) => codes.push(code));
    s.receive({ type: 'exit', id: 7, code: 3 });
    expect(codes).toEqual([3]);
    expect(s.exited).toBe(true);
    s.write('x');
    s.kill();
    expect(sent).toEqual([]);
  });
});
