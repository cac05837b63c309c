import type { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './pane-protocol.js';
import { startPaneWorker } from './pane-worker-entry.js';
import type { PtyCommand } from './pty-session.js';
import { RemotePtySession } from './remote-pty-session.js';

/**
 * The pane worker seen from the UI thread: one thread for every attach (starting one costs more
 * than an attach), started by `prepare` or the first `open`, ended by `dispose`. If the thread
 * dies, its sessions end and the next attach starts a new one.
 */
export class PaneWorker {
  private worker: Worker | undefined;
  private online: Promise<void> = Promise.resolve();
  private loading = false;
  private readonly sessions = new Map<number, RemotePtySession>();
  private nextId = 1;

  open(
    command: PtyCommand,
    options: { cols: number; rows: number; frameMs?: number },
  ): RemotePtySession {
    const worker = (this.worker ??= this.started());
    const id = this.nextId++;
    const send = (message: ToWorker) => {
      if (message.type === 'close') this.forget(id);
      worker.postMessage(message);
    };
    const session = new RemotePtySession(id, options, send);
    this.sessions.set(id, session);
    this.keepAlive();
    send({ type: 'open', id, command, ...options });
    return session;
  }

  /** Starts the thread ahead of the first attach; resolves once it has loaded (or died). */
  prepare(): Promise<void> {
    this.worker ??= this.started();
    return this.online;
  }

  /** Ends every session, and the thread once their programs are gone (never `terminate`). */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.sessions.clear();
    worker?.postMessage({ type: 'shutdown' } satisfies ToWorker);
  }

  private started(): Worker {
    const worker = startPaneWorker();
    this.loading = true;
    this.online = new Promise((resolve) => {
      const loaded = () => {
        this.loading = false;
        this.keepAlive();
        resolve();
      };
      worker.on('message', (message: FromWorker) => message.type === 'ready' && loaded());
      worker.once('exit', loaded);
    });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') return;
      this.sessions.get(message.id)?.receive(message);
      if (message.type === 'exit' || message.type === 'failed') this.forget(message.id);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const sessions = [...this.sessions];
      this.sessions.clear();
      for (const [id, session] of sessions) session.receive({ type: 'failed', id, message: why });
    };
    worker.on('error', (err) => lost(`The terminal worker failed: ${err.message}`));
    worker.on('exit', (code) => lost(`The terminal worker stopped (exit code ${code})`));
    return worker;
  }

  private forget(id: number): void {
    this.sessions.delete(id);
    this.keepAlive();
  }

  /** The thread keeps the process alive while it loads or runs a session, and not when idle. */
  private keepAlive(): void {
    if (this.loading || this.sessions.size > 0) this.worker?.ref();
    else this.worker?.unref();
  }
}
