// Child of bench/tui.ts: the control room's RSS as `coi tui` runs it — plain node on the compiled
// dist/ (run `npm run build` first), production React, no tsx loader — with 100 slots, 10,000
// alerts, 200 updates drawn, and one attached pane (a local pty printing, no container needed).
// Prints one JSON line of RSS figures in bytes.
/* global process, console, setTimeout */
import { EventEmitter } from 'node:events';
import { bigStore, metricsBatch } from './_tui-fixture.mjs';

process.env.NODE_ENV = 'production';
const rss = () => process.memoryUsage().rss;
const figures = { node: rss() };
const { createElement } = await import('react');
const { render } = await import('ink');
const { App, createTuiStore, HotRegionWriter, TerminalController } =
  await import('../dist/ui/index.js');
figures.modules = rss();

class Sink extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  write = () => true;
}
class NoInput extends EventEmitter {
  isTTY = true;
  read = () => null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const store = bigStore(createTuiStore, 10, 10);
figures.store = rss();
// Retained by the store itself: measured with --expose-gc (RSS figures are without forced GCs).
globalThis.gc?.();
figures.storeHeap = process.memoryUsage().heapUsed - heapBefore;
const out = new Sink();
const writer = new HotRegionWriter(out);
const terminal = new TerminalController({
  store,
  command: async () => ({
    file: 'sh',
    args: ['-c', 'seq 1 200000; sleep 30'],
    env: { ...process.env, TERM: 'xterm-256color' },
  }),
  writeTerminal: () => {},
});
const actions = new Proxy({}, { get: () => async () => undefined });
const app = render(
  createElement(App, {
    store,
    actions,
    terminal,
    passthrough: terminal.passthrough,
    hotRegion: writer,
  }),
  {
    stdout: writer.stream,
    stderr: new Sink(),
    stdin: new NoInput(),
    exitOnCtrlC: false,
    patchConsole: false,
  },
);
for (let i = 1; i <= 200; i++) {
  store.getState().setMetrics(metricsBatch(store, i));
  await sleep(5);
}
figures.drawn = rss();
const name = Object.keys(store.getState().instances)[0];
await terminal.attach(name);
store.getState().setAttached(name);
await sleep(3000);
figures.attached = rss();
terminal.dispose();
app.unmount();
console.log(JSON.stringify(figures));
process.exit(0);
