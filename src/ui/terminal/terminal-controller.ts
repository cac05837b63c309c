import type { PassthroughSink } from '../keys/input-router.js';
import type { TuiStoreApi } from '../state/store.js';
import { ModeMirror } from './mode-mirror.js';
import { PaneWorker } from './pane-worker-client.js';
import type { PtyCommand } from './pty-session.js';
import type { RemotePtySession } from './remote-pty-session.js';
import type { ScreenSnapshot } from './screen-snapshot.js';

/** What the pane draws: the attached container's screen and whether input is being held. */
export interface PaneScreen {
  name: string;
  screen: ScreenSnapshot;
  /** Bytes typed while the container is frozen, sent when it resumes. */
  heldBytes: number;
}

/** The App's view of the embedded terminal (a React external store plus the pane size). */
export interface TerminalView {
  subscribe(listener: () => void): () => void;
  getSnapshot(): PaneScreen | undefined;
  /** The pane's inner size from the layout; the pty always has exactly this size. */
  setSize(cols: number, rows: number): void;
  /** True while the attached program asked for mouse reports (tmux with `mouse on`). */
  tracksMouse?(): boolean;
}

export interface TerminalControllerOptions {
  store: TuiStoreApi;
  /** The program that attaches to a container's session (it is run on a pty). */
  command: (name: string) => Promise<PtyCommand>;
  /** Writes mode changes to the user's terminal (not through Ink). */
  writeTerminal: (bytes: string) => void;
  /** At most one frame per this many ms (the refresh rate the pane is drawn at). */
  frameMs?: number;
}

const RESIZE_DEBOUNCE_MS = 50;
const FRAME_MS = 16;

/**
 * Owns the one attached terminal session, which runs in the pane worker (pty and emulator off
 * the UI thread; this side gets changed rows at the refresh rate). It follows the store: a detach (the UI clears
 * `ui.attached`) ends the session, a frozen container holds input until it runs again, and a
 * session that ends by itself detaches the UI with a status line saying so.
 */
export class TerminalController implements TerminalView {
  private readonly worker = new PaneWorker();
  private session: RemotePtySession | undefined;
  private name: string | undefined;
  private view: PaneScreen | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly mirror: ModeMirror;
  private size = { cols: 80, rows: 20 };
  private resizeTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribeStore: () => void;
  /** Set once the UI shows this session as attached; until then a detached UI is expected. */
  private ownedByUi = false;

  constructor(private readonly opts: TerminalControllerOptions) {
    this.mirror = new ModeMirror(opts.writeTerminal);
    this.unsubscribeStore = opts.store.subscribe(() => this.follow());
    void this.worker.prepare();
  }

  /** Resolves once the pane worker runs (it is started with the controller: attach is quick). */
  ready(): Promise<void> {
    return this.worker.prepare();
  }

  /** Starts a session for `name`, replacing any other; resolves once the program runs. */
  async attach(name: string): Promise<void> {
    const command = await this.opts.command(name);
    this.close();
    const session = this.worker.open(command, {
      ...this.size,
      frameMs: this.opts.frameMs ?? FRAME_MS,
    });
    this.session = session;
    this.name = name;
    this.ownedByUi = false;
    session.onChange(() => {
      this.mirror.sync(session.modes);
      this.changed();
    });
    session.onExit((code) => this.ended(session, name, code));
    this.follow();
    this.changed();
    try {
      await session.started;
    } catch (err) {
      if (this.session === session) this.close();
      throw err;
    }
  }

  readonly passthrough: PassthroughSink = (bytes) => {
    this.session?.write(bytes);
    if (this.session?.holding) this.changed();
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PaneScreen | undefined => {
    if (!this.session || this.name === undefined) return undefined;
    this.view ??= {
      name: this.name,
      screen: this.session.snapshot(),
      heldBytes: this.session.heldBytes,
    };
    return this.view;
  };

  setSize = (cols: number, rows: number): void => {
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => this.session?.resize(cols, rows), RESIZE_DEBOUNCE_MS);
  };

  tracksMouse = (): boolean => (this.session?.modes.mouseTrackingMode ?? 'none') !== 'none';

  /** The pty's process id while a session runs (tests, diagnostics). */
  get pid(): number | undefined {
    return this.session?.pid;
  }

  /** Ends the session and puts the user's terminal modes back; safe to call at any time. */
  close(): void {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    this.name = undefined;
    session.kill();
    this.mirror.reset();
    this.changed();
  }

  dispose(): void {
    clearTimeout(this.resizeTimer);
    this.unsubscribeStore();
    this.close();
    this.worker.dispose();
  }

  private follow(): void {
    const session = this.session;
    if (!session) return;
    const { ui, instances } = this.opts.store.getState();
    if (ui.attached === undefined) {
      // Only once the UI has taken over the session: attach() runs before setAttached.
      if (this.ownedByUi) this.close();
      return;
    }
    this.ownedByUi = ui.attached === this.name;
    const frozen = instances[ui.attached]?.state === 'frozen';
    if (frozen !== session.holding) {
      session.hold(frozen);
      this.changed();
    }
  }

  private ended(session: RemotePtySession, name: string, code: number): void {
    if (session !== this.session) return;
    this.close();
    const state = this.opts.store.getState();
    if (state.ui.attached !== name) return;
    state.setAttached(undefined);
    state.setStatus({
      tone: code === 0 ? 'info' : 'error',
      text: `The terminal of ${name} ended (exit code ${code}); press a to attach again`,
    });
  }

  private changed(): void {
    this.view = undefined;
    for (const listener of this.listeners) listener();
  }
}
