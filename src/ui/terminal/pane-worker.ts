// The pane worker: owns the pty and the headless emulator of every attached pane, so parsing a
// flood never waits for (nor slows) the UI thread's renders. Started by PaneWorker.
import { parentPort } from 'node:worker_threads';
import { HostedSession } from './hosted-session.js';
import type { FromWorker, ToWorker } from './pane-protocol.js';

const port = parentPort;
if (!port) throw new Error('pane-worker.js runs as a worker thread (started by PaneWorker)');

const sessions = new Map<number, HostedSession>();
const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type !== 'open') {
    sessions.get(message.id)?.receive(message);
    if (message.type === 'close') sessions.delete(message.id);
    return;
  }
  try {
    const { id } = message;
    sessions.set(id, new HostedSession(id, message, post, () => sessions.delete(id)));
  } catch (err) {
    post({ type: 'failed', id: message.id, message: (err as Error).message });
  }
});
post({ type: 'ready' });
