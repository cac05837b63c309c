import type { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './pane-protocol.js';
import { startPaneWorker } from './pane-worker-entry.js';
import type { PtyCommand } from './pty-session.js';
import { RemotePtySession } from './remote-pty-session.js';

/**
 * The pane worker seen from the UI thread: started on the first attach and kept for the next
 * ones (starting a thread costs more than an attach), ended by `dispose`. If the thread dies, its
 * sessions end and the next attach starts a new one.
 */
export class PaneWorker {
  private worker: Worker | undefined;
  private readonly sessions = new Map<number, RemotePtySession>();
  private nextId = 1;

  constructor(private readonly start: () => Worker = () => startPaneWorker()) {}

  open(
    command: PtyCommand,
    options: { cols: number; rows: number; frameMs?: number },
  ): RemotePtySession {
    const worker = (this.worker ??= this.started());
    const id = this.nextId++;
    const send = (message: ToWorker) => {
      if (message.type === 'close') this.sessions.delete(id);
      worker.postMessage(message);
    };
    const session = new RemotePtySession(id, options, send);
    this.sessions.set(id, session);
    send({ type: 'open', id, command, ...options });
    return session;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.sessions.clear();
    void worker?.terminate();
  }

  private started(): Worker {
    const worker = this.start();
    // The control room's own exit ends it; it must not keep a finished process alive.
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      this.sessions.get(message.id)?.receive(message);
      if (message.type === 'exit' || message.type === 'failed') this.sessions.delete(message.id);
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
}
