import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { readFileSync } from 'node:fs';
const data = readFileSync('/tmp/hN/big.txt');
async function parse(opts: { scrollback: number; uni: boolean; chunk: number }) {
  const t = new xterm.Terminal({ cols: 120, rows: 36, scrollback: opts.scrollback, allowProposedApi: true });
  if (opts.uni) { t.loadAddon(new unicode11.Unicode11Addon()); t.unicode.activeVersion = '11'; }
  const t0 = performance.now();
  for (let i = 0; i < data.length; i += opts.chunk) t.write(data.subarray(i, i + opts.chunk));
  await new Promise<void>((r) => t.write('', r));
  const ms = performance.now() - t0;
  t.dispose();
  return ms.toFixed(0);
}
for (let i = 0; i < 2; i++) {
  console.log('sb5000 uni', await parse({ scrollback: 5000, uni: true, chunk: 65536 }),
    'sb0 uni', await parse({ scrollback: 0, uni: true, chunk: 65536 }),
    'sb0 nouni', await parse({ scrollback: 0, uni: false, chunk: 65536 }),
    'sb5000 nouni', await parse({ scrollback: 5000, uni: false, chunk: 65536 }));
}
