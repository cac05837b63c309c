import { RowDiffer } from './frame-diff.js';
import { FrameGate } from './frame-gate.js';
import type { InputModes } from './mode-mirror.js';
import type { FromWorker, ToWorker } from './pane-protocol.js';
import { PtySession } from './pty-session.js';

type Open = Extract<ToWorker, { type: 'open' }>;

/**
 * One pane session inside the worker: the pty and its emulator, whose changes go to the UI
 * thread as row diffs, one frame in flight at a time.
 */
export class HostedSession {
  private readonly session: PtySession;
  private readonly differ = new RowDiffer();
  private readonly gate = new FrameGate(() => this.sendFrame());
  private sentModes = '';

  /** Throws when the program cannot be started. */
  constructor(
    private readonly id: number,
    open: Open,
    private readonly post: (message: FromWorker) => void,
    onGone: () => void,
  ) {
    this.session = new PtySession(open.command, {
      cols: open.cols,
      rows: open.rows,
      // The pane shows the live screen; the session's history is tmux's (copy-mode).
      scrollback: 0,
      ...(open.frameMs !== undefined ? { frameMs: open.frameMs } : {}),
    });
    post({ type: 'started', id, pid: this.session.pid });
    void this.session.gone.then(onGone);
    this.session.onChange(() => this.gate.changed());
    this.session.onExit((code) => {
      this.gate.flush();
      post({ type: 'exit', id, code });
      void this.close();
    });
  }

  receive(message: Exclude<ToWorker, Open | { type: 'shutdown' }>): void {
    if (message.type === 'input') this.session.write(message.bytes);
    else if (message.type === 'resize') this.session.resize(message.cols, message.rows);
    else if (message.type === 'ack') this.gate.drawn();
    else void this.close();
  }

  /** Ends the program; resolves once it is reaped. */
  close(): Promise<void> {
    this.session.kill();
    return this.session.gone;
  }

  private sendFrame(): boolean {
    const frame = this.differ.diff(this.session.snapshot());
    const {
      applicationCursorKeysMode,
      applicationKeypadMode,
      bracketedPasteMode,
      mouseTrackingMode,
    } = this.session.modes;
    const modes: InputModes = {
      applicationCursorKeysMode,
      applicationKeypadMode,
      bracketedPasteMode,
      mouseTrackingMode,
    };
    const modesKey = JSON.stringify(modes);
    if (frame.changed.length === 0 && modesKey === this.sentModes) return false;
    this.sentModes = modesKey;
    this.post({ type: 'frame', id: this.id, modes, ...frame });
    return true;
  }
}
