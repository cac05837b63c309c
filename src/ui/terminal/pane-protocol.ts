import type { InputModes } from './mode-mirror.js';
import type { PtyCommand } from './pty-session.js';
import type { StyledRun } from './screen-snapshot.js';

/**
 * Messages between the UI thread and the pane worker, which owns the pty and its emulator. Every
 * message names its session: one worker serves every attach of a control room, one at a time,
 * and a late message of a closed session is dropped by id.
 */
export type ToWorker =
  | {
      type: 'open';
      id: number;
      command: PtyCommand;
      cols: number;
      rows: number;
      frameMs?: number;
    }
  | { type: 'input'; id: number; bytes: string }
  | { type: 'resize'; id: number; cols: number; rows: number }
  /** The UI thread has drawn the last frame: the next one may come. */
  | { type: 'ack'; id: number }
  | { type: 'close'; id: number }
  /**
   * Ends every session, then the thread once their programs are reaped: node-pty aborts the
   * process if a program's exit reaches a worker that is being terminated.
   */
  | { type: 'shutdown' };

/** The rows that changed since the previous frame (all of them after a resize). */
export interface ScreenFrame {
  cols: number;
  rows: number;
  changed: [y: number, runs: StyledRun[]][];
  cursor?: { x: number; y: number };
}

/** Per session, and `ready` once, when the worker has loaded its modules. */
export type SessionMessage =
  | { type: 'started'; id: number; pid: number }
  | ({ type: 'frame'; id: number; modes: InputModes } & ScreenFrame)
  | { type: 'exit'; id: number; code: number }
  | { type: 'failed'; id: number; message: string };

export type FromWorker = SessionMessage | { type: 'ready' };
