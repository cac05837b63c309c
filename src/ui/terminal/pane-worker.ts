// The pane worker: owns the pty and the headless emulator of every attached pane, so parsing a
// flood never waits for (nor slows) the UI thread's renders. Started by PaneWorker.
import { parentPort } from 'node:worker_threads';
import { HostedSession } from './hosted-session.js';
import type { FromWorker, ToWorker } from './pane-protocol.js';

if (!parentPort) throw new Error('pane-worker.js runs as a worker thread (started by PaneWorker)');
const port = parentPort;

/** Sessions until their program is reaped (a closed one too: shutdown waits for it). */
const sessions = new Map<number, HostedSession>();
const post = (message: FromWorker) => port.postMessage(message);

/** Every session ended and reaped, the port closes and the thread ends by itself. */
async function shutdown(): Promise<void> {
  await Promise.all([...sessions.values()].map((session) => session.close()));
  port.close();
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'shutdown') return void shutdown();
  if (message.type !== 'open') return sessions.get(message.id)?.receive(message);
  try {
    const { id } = message;
    sessions.set(id, new HostedSession(id, message, post, () => sessions.delete(id)));
  } catch (err) {
    post({ type: 'failed', id: message.id, message: (err as Error).message });
  }
});
post({ type: 'ready' });
