// `node --import tsx --import ./test/helpers/loaded-modules.ts …`: on exit, prints to stderr one line
// `LOADED <json>` with every module the process loaded: the URLs ES modules resolved to (hooks run
// off-thread in Node 20, hence the message port) and the paths of CommonJS ones (`require`).
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const urls = new Set<string>();
port1.on('message', (url: string) => urls.add(url));
port1.unref();

const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, {
  data: { port: port2 },
  transferList: [port2],
});
const required = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const all = [...urls, ...Object.keys(required)];
  process.stderr.write(`LOADED ${JSON.stringify(all)}\n`);
});
