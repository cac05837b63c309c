import pty from 'node-pty';
import { PaneWorker } from './src/ui/terminal/pane-worker-client.js';
import { PtySession } from './src/ui/terminal/pty-session.js';
const cmd = { file: 'cat', args: ['/tmp/hN/big.txt'] };
async function bare() {
  const t0 = performance.now();
  const c = pty.spawn(cmd.file, cmd.args, { cols: 120, rows: 36, encoding: null } as any);
  let n = 0; c.onData((d) => (n += (d as any).length));
  await new Promise((r) => c.onExit(r));
  return performance.now() - t0;
}
async function inThread() {
  const t0 = performance.now();
  const s = new PtySession(cmd, { cols: 120, rows: 36, frameMs: 16 });
  await new Promise((r) => s.onExit(r));
  s.kill();
  return performance.now() - t0;
}
const w = new PaneWorker();
async function worker() {
  const t0 = performance.now();
  const s = w.open(cmd, { cols: 120, rows: 36, frameMs: 16 });
  let frames = 0; s.onChange(() => frames++);
  await new Promise((r) => s.onExit(r));
  s.kill();
  return [performance.now() - t0, frames];
}
await (await w.open({file:'true', args:[]}, {cols: 10, rows: 2})).started;
for (let i = 0; i < 3; i++) console.log('bare', (await bare()).toFixed(0), 'inThread', (await inThread()).toFixed(0), 'worker', await worker());
w.dispose();
