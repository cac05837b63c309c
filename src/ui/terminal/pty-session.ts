import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import pty from 'node-pty';
import { snapshotScreen, type ScreenSnapshot } from './screen-snapshot.js';
import { HeldInput } from './held-input.js';

export interface PtyCommand {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface PtySessionOptions {
  cols: number;
  rows: number;
  /** At most one change notification per this many ms (the pane's frame budget). */
  frameMs?: number;
  /** Lines of history the emulator keeps. */
  scrollback?: number;
}

/**
 * While the program floods the screen (more than this many bytes since the last frame), frames
 * come at half the rate: each one costs a full pane render, and parsing the flood matters
 * more than showing every intermediate screen. Typing stays at the normal rate.
 */
const FLOOD_BYTES = 64 * 1024;
const FLOOD_SLOWDOWN = 2;

/**
 * For this long after a keystroke every change is shown at once (no frame wait): the echo of
 * what the user typed is the frame that matters, even while the program floods the screen.
 */
const ECHO_MS = 50;

/**
 * Bytes handed to the emulator but not parsed yet; above HIGH the pty is paused until LOW. Kept
 * small: node-pty destroys the socket 200 ms after the child exits, so a pause must end quickly
 * or the last output of a program that exits during a flood is lost.
 */
const HIGH_WATER = 256 * 1024;
const LOW_WATER = 32 * 1024;

/** A program that ignores the SIGHUP of `kill` gets SIGKILL after this long. */
const KILL_GRACE_MS = 2000;

/**
 * One child program on a pseudo-terminal, its screen kept by a headless xterm. Output is parsed
 * as it comes (with back-pressure on the pty), listeners hear about changes at most once per
 * frame, and the snapshot is only rebuilt when asked for after a change. Terminal queries
 * (DA, DSR) are answered by the emulator and the answers go back to the program.
 */
export class PtySession {
  readonly terminal: InstanceType<typeof xterm.Terminal>;
  private readonly child: pty.IPty;
  private readonly listeners = new Set<() => void>();
  private readonly exitListeners = new Set<(code: number) => void>();
  private readonly frameMs: number;
  private cached: ScreenSnapshot | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotify = 0;
  private lastInput = -Infinity;
  private unparsed = 0;
  private bytesSinceNotify = 0;
  private pendingOutput: Buffer[] = [];
  private paused = false;
  private cursorHidden = false;
  private readonly input = new HeldInput((bytes) => this.typed(bytes));
  private exitCode: number | undefined;
  private disposed = false;
  private reaped!: () => void;
  /** Resolves once the program has exited and been reaped, killed or not. */
  readonly gone = new Promise<void>((resolve) => (this.reaped = resolve));

  constructor(command: PtyCommand, options: PtySessionOptions) {
    this.frameMs = options.frameMs ?? 33;
    this.terminal = new xterm.Terminal({
      cols: options.cols,
      rows: options.rows,
      scrollback: options.scrollback ?? 5000,
      allowProposedApi: true,
    });
    this.terminal.loadAddon(new unicode11.Unicode11Addon());
    this.terminal.unicode.activeVersion = '11';
    this.trackCursorVisibility();
    this.child = pty.spawn(command.file, command.args, {
      name: 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: command.cwd ?? process.cwd(),
      env: command.env ?? process.env,
      encoding: null,
    });
    this.child.onData((data) => this.onOutput(data as unknown as Buffer));
    this.child.onExit(({ exitCode }) => {
      this.exitCode = exitCode;
      this.reaped();
      if (this.disposed) return;
      // Let the emulator finish what it has (after the batch waiting for it), then tell the pane.
      setImmediate(() => {
        if (this.disposed) return;
        this.terminal.write('', () => {
          this.changed();
          for (const listener of this.exitListeners) listener(exitCode);
        });
      });
    });
    this.terminal.onData((reply) => this.toChild(reply));
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  get pid(): number {
    return this.child.pid;
  }

  /** DEC modes the inner program set (cursor keys, keypad, bracketed paste, …). */
  get modes() {
    return this.terminal.modes;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onExit(listener: (code: number) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Keyboard input for the program, byte-exact; held back while `hold` is on. */
  write(bytes: string): void {
    this.input.write(bytes);
  }

  /** While held (the container is frozen) input is kept in order and sent on release. */
  hold(on: boolean): void {
    this.input.hold(on);
  }

  get holding(): boolean {
    return this.input.holding;
  }

  /** Bytes waiting for the container to be resumed. */
  get heldBytes(): number {
    return this.input.heldBytes;
  }

  resize(cols: number, rows: number): void {
    if (cols === this.terminal.cols && rows === this.terminal.rows) return;
    if (cols < 1 || rows < 1) return;
    this.terminal.resize(cols, rows);
    if (!this.exited) this.child.resize(cols, rows);
    this.changed();
  }

  snapshot(): ScreenSnapshot {
    this.cached ??= snapshotScreen(this.terminal, { cursorHidden: this.cursorHidden });
    return this.cached;
  }

  kill(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.notifyTimer);
    this.listeners.clear();
    this.signal('SIGHUP');
    setTimeout(() => this.signal('SIGKILL'), KILL_GRACE_MS).unref();
    this.terminal.dispose();
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.exited) return;
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  private toChild(bytes: string): void {
    if (!this.exited) this.child.write(bytes);
  }

  /** Keyboard input went to the program: its echo is not kept waiting by a frame budget. */
  private typed(bytes: string): void {
    this.toChild(bytes);
    this.lastInput = Date.now();
    if (!this.notifyTimer) return;
    clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.changed();
  }

  /** Output read in one turn of the event loop goes to the emulator as one write (pty reads are small). */
  private onOutput(data: Buffer): void {
    this.unparsed += data.length;
    if (!this.paused && this.unparsed > HIGH_WATER) {
      this.paused = true;
      this.child.pause();
    }
    this.pendingOutput.push(data);
    if (this.pendingOutput.length === 1) setImmediate(() => this.parsePending());
  }

  private parsePending(): void {
    if (this.disposed) return;
    const chunk =
      this.pendingOutput.length === 1 ? this.pendingOutput[0]! : Buffer.concat(this.pendingOutput);
    this.pendingOutput = [];
    this.terminal.write(chunk, () => {
      this.unparsed -= chunk.length;
      this.bytesSinceNotify += chunk.length;
      if (this.paused && this.unparsed < LOW_WATER) {
        this.paused = false;
        this.child.resume();
      }
      this.changed();
    });
  }

  /** DECTCEM is not in xterm's public modes; watch the sequence without handling it. */
  private trackCursorVisibility(): void {
    const watch = (hidden: boolean) => (params: (number | number[])[]) => {
      if (params.includes(25)) this.cursorHidden = hidden;
      return false;
    };
    this.terminal.parser.registerCsiHandler({ prefix: '?', final: 'h' }, watch(false));
    this.terminal.parser.registerCsiHandler({ prefix: '?', final: 'l' }, watch(true));
  }

  /** Throttle, not debounce: a steady stream still produces a frame every `frameMs`. */
  private changed(): void {
    this.cached = undefined;
    if (this.notifyTimer || this.disposed) return;
    const now = Date.now();
    const budget =
      now - this.lastInput < ECHO_MS
        ? 0
        : this.bytesSinceNotify > FLOOD_BYTES
          ? this.frameMs * FLOOD_SLOWDOWN
          : this.frameMs;
    this.notifyAfter(Math.max(0, this.lastNotify + budget - now));
  }

  private notifyAfter(wait: number): void {
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.lastNotify = Date.now();
      // While the program draws a synchronized frame, wait for its end (no tearing).
      if (this.terminal.modes.synchronizedOutputMode) return this.notifyAfter(this.frameMs);
      this.bytesSinceNotify = 0;
      for (const listener of this.listeners) listener();
    }, wait);
  }
}
