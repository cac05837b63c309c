// TEMP (not committed): keystroke-to-frame with a host tmux, for profiling without Incus.
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
process.env.NODE_ENV ??= 'production';
process.env.FORCE_COLOR ??= '1';
const { createElement } = await import('react');
const { render } = await import('ink');
const { App, createTuiStore, HotRegionWriter, TerminalController } = await import('../src/ui/index.js');
const COLS = 120, ROWS = 40;
class Out extends EventEmitter {
  readonly isTTY = true; columns = COLS; rows = ROWS; last = ''; lastAt = 0;
  private waiters: { test: (c: string) => boolean; resolve: (n: number) => void }[] = [];
  write = (chunk: string) => { const at = performance.now(); this.last = chunk; this.lastAt = at;
    this.waiters = this.waiters.filter((w) => { if (!w.test(chunk)) return true; w.resolve(at); return false; }); return true; };
  next(test: (c: string) => boolean) { return new Promise<number>((resolve) => this.waiters.push({ test, resolve })); }
}
class In extends EventEmitter { readonly isTTY = true; read = () => null; setEncoding() {} setRawMode() {} resume() {} pause() {} ref() {} unref() {} }
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const NO = new Proxy({}, { get: () => async () => {} });
const sess = `hy${process.pid}`;
const tmux = (...a: string[]) => execFileSync('tmux', ['-L', sess, ...a], { encoding: 'utf8' });
tmux('new-session', '-d', '-s', 'b', '-x', String(COLS), '-y', String(ROWS - 5), 'bash --norc');
tmux('split-window', '-t', 'b', '-v', 'bash --norc');
tmux('select-pane', '-t', 'b:0.0');
const store = createTuiStore();
store.getState().setConnection({ state: 'connected' });
const controller = new TerminalController({ store, command: async () => ({ file: 'tmux', args: ['-L', sess, 'attach', '-t', 'b'], env: { ...process.env, TERM: 'xterm-256color' } }), writeTerminal: () => {} });
const out = new Out();
const hot = process.env.HY_HOT ? new HotRegionWriter(out as unknown as NodeJS.WriteStream) : undefined;
const inst = render(createElement(App, { store, actions: NO as never, terminal: controller, passthrough: controller.passthrough, ...(hot ? { hotRegion: hot } : {}) }), {
  stdout: (hot?.stream ?? out) as unknown as NodeJS.WriteStream, stderr: new Out() as unknown as NodeJS.WriteStream, stdin: new In() as unknown as NodeJS.ReadStream,
  debug: false, exitOnCtrlC: false, patchConsole: false, maxFps: 60 });
await controller.ready();
await controller.attach('local'); store.getState().setAttached('local');
await sleep(1000);
tmux('send-keys', '-t', 'b:0.1', `head -c ${process.env.HY_FLOOD ?? 7500000} /dev/urandom | base64 -w 150; echo FLOOD-""DONE`, 'Enter');
const samples: number[] = []; let during = 0;
for (let i = 0; samples.length < 40; i++) {
  const marker = `#k${i}q`;
  const frame = out.next((c) => c.includes(marker));
  const t0 = performance.now(); (globalThis as any).__hyT0 = performance.timeOrigin + t0;
  controller.passthrough(marker);
  samples.push((await frame) - t0); console.error(`HY total k${i} ${samples.at(-1)!.toFixed(1)} recv→write ${(performance.timeOrigin + performance.now() - (globalThis as any).__hyRecvAt).toFixed(1)}`);
  if (!out.last.includes('FLOOD-DONE')) during += 1;
  controller.passthrough('\x15');
  await sleep(30);
}
controller.dispose(); inst.unmount();
try { tmux('kill-server'); } catch {}
console.log(`p50 ${pct(samples, 0.5).toFixed(1)} p95 ${pct(samples, 0.95).toFixed(1)} max ${Math.max(...samples).toFixed(1)} during ${during}`);
console.log(samples.map((n) => n.toFixed(0)).join(' '));
process.exit(0);
