import { applyFrame } from './frame-diff.js';
import type { InputModes } from './mode-mirror.js';
import type { SessionMessage, ToWorker } from './pane-protocol.js';
import type { ScreenSnapshot } from './screen-snapshot.js';
import { HeldInput } from './held-input.js';

const NO_MODES: InputModes = {
  applicationCursorKeysMode: false,
  applicationKeypadMode: false,
  bracketedPasteMode: false,
  mouseTrackingMode: 'none',
};

/**
 * The UI thread's handle on a pane session that runs in the pane worker: it keeps the screen the
 * worker's frames describe, and holds typing while the container is frozen (so the held count is
 * known without a round trip).
 */
export class RemotePtySession {
  /** Resolves once the program runs; rejects with the reason it could not start. */
  readonly started: Promise<void>;
  private screen: ScreenSnapshot;
  private currentModes: InputModes = NO_MODES;
  private readonly listeners = new Set<() => void>();
  private readonly exitListeners = new Set<(code: number) => void>();
  private processId: number | undefined;
  private exitCode: number | undefined;
  private readonly input = new HeldInput((bytes) => this.toChild(bytes));
  private closed = false;
  private settle!: { resolve: () => void; reject: (err: Error) => void };

  constructor(
    private readonly id: number,
    size: { cols: number; rows: number },
    private readonly send: (message: ToWorker) => void,
  ) {
    this.screen = applyFrame(undefined, { ...size, changed: [] });
    this.started = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // An attach that fails is reported by its caller; do not also make it an unhandled rejection.
    this.started.catch(() => {});
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  get pid(): number | undefined {
    return this.processId;
  }

  get modes(): InputModes {
    return this.currentModes;
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
    if (cols < 1 || rows < 1 || this.closed) return;
    this.send({ type: 'resize', id: this.id, cols, rows });
  }

  snapshot(): ScreenSnapshot {
    return this.screen;
  }

  kill(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    if (!this.exited) this.send({ type: 'close', id: this.id });
  }

  /** A message of this session from the worker. */
  receive(message: SessionMessage): void {
    if (this.closed) return;
    switch (message.type) {
      case 'started':
        this.processId = message.pid;
        this.settle.resolve();
        break;
      case 'frame':
        this.screen = applyFrame(this.screen, message);
        this.currentModes = message.modes;
        for (const listener of this.listeners) listener();
        // After React's synchronous flush of this update (microtasks): the frame is drawn.
        setImmediate(() => {
          if (!this.closed) this.send({ type: 'ack', id: this.id });
        });
        break;
      case 'exit':
        this.ended(message.code);
        break;
      case 'failed':
        this.settle.reject(new Error(message.message));
        if (this.processId !== undefined) this.ended(1);
        break;
    }
  }

  private ended(code: number): void {
    this.exitCode = code;
    for (const listener of this.exitListeners) listener(code);
  }

  private toChild(bytes: string): void {
    if (!this.exited && !this.closed) this.send({ type: 'input', id: this.id, bytes });
  }
}
