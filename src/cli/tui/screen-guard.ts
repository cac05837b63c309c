import { writeSync } from 'node:fs';
import { ROOM_MOUSE_ON } from '../../ui/index.js';

/**
 * Everything the control room may have switched on in the user's terminal, switched off again:
 * mirrored modes (cursor keys, keypad, bracketed paste, mouse, focus), attributes, cursor shown,
 * then back from the alternate screen to the user's normal screen and scrollback.
 */
const RESTORE_TERMINAL = [
  '\x1b[?2004l', // bracketed paste
  '\x1b[?9l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l', // mouse reporting
  '\x1b[?1004l', // focus events
  '\x1b[?1l', // cursor keys back to normal mode
  '\x1b>', // numeric keypad
  '\x1b[0m', // attributes
  '\x1b[?25h', // cursor visible
  '\x1b[?1049l', // leave the alternate screen
].join('');

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J' + ROOM_MOUSE_ON;

const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
const SIGNAL_NUMBER: Record<(typeof SIGNALS)[number], number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGTERM: 15,
};

export interface ScreenGuardOptions {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Stops child ptys, feeds and the renderer; runs once, before the terminal is restored. */
  teardown: () => void;
}

/**
 * Owns the terminal while the control room runs: enters the alternate screen (with the room's
 * mouse reporting on), and on every way
 * out — normal exit, a signal, a crash, or the terminal going away — tears the app down and
 * leaves the terminal exactly as it found it. Restoring is synchronous so it happens even when
 * the process exits right after.
 */
export class ScreenGuard {
  private restored = false;
  private readonly handlers: [NodeJS.EventEmitter, string, (...args: unknown[]) => void][] = [];

  constructor(private readonly opts: ScreenGuardOptions) {}

  enter(): void {
    this.write(ENTER_ALTERNATE_SCREEN);
    for (const signal of SIGNALS) {
      this.on(process, signal, () => this.exit(128 + SIGNAL_NUMBER[signal]));
    }
    this.on(process, 'uncaughtException', (err) => this.crash(err));
    this.on(process, 'unhandledRejection', (reason) => this.crash(reason));
    // The terminal went away (ssh dropped, window closed): nothing left to draw on.
    this.on(this.opts.stdin, 'end', () => this.exit(129));
    this.on(this.opts.stdin, 'error', () => this.exit(129));
    this.on(this.opts.stdout, 'error', () => this.exit(129));
  }

  /** Tears down and restores the terminal; idempotent. */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    for (const [target, event, fn] of this.handlers.splice(0)) target.off(event, fn);
    try {
      this.opts.teardown();
    } finally {
      if (this.opts.stdin.isTTY) {
        try {
          this.opts.stdin.setRawMode(false);
        } catch {
          // The tty is gone.
        }
      }
      this.write(RESTORE_TERMINAL);
    }
  }

  private exit(code: number): void {
    this.restore();
    process.exit(code);
  }

  private crash(error: unknown): void {
    this.restore();
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`coi tui crashed: ${text}\n`);
    process.exit(1);
  }

  private on(target: NodeJS.EventEmitter, event: string, fn: (arg: unknown) => void): void {
    const handler = (...args: unknown[]) => fn(args[0]);
    target.on(event, handler);
    this.handlers.push([target, event, handler]);
  }

  private write(bytes: string): void {
    try {
      writeSync((this.opts.stdout as unknown as { fd: number }).fd ?? 1, bytes);
    } catch {
      // No terminal to write to any more.
    }
  }
}
