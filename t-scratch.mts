import xterm from '@xterm/headless';
import unicode11 from '@xterm/addon-unicode11';
import { randomBytes } from 'node:crypto';
const data = Buffer.from(randomBytes(14_800_000).toString('base64').replace(/(.{100})/g, '$1\r\n'));
for (const [sb, u11] of [[5000, true], [0, true], [5000, false], [1000, true]] as const) {
  const t = new xterm.Terminal({ cols: 120, rows: 36, scrollback: sb, allowProposedApi: true });
  if (u11) { t.loadAddon(new unicode11.Unicode11Addon()); t.unicode.activeVersion = '11'; }
  const start = performance.now();
  for (let i = 0; i < data.length; i += 65536) t.write(data.subarray(i, i + 65536));
  await new Promise<void>((r) => t.write('', r));
  const s = (performance.now() - start) / 1000;
  console.log(`scrollback ${sb} u11 ${u11}: ${(data.length / 1e6 / s).toFixed(1)} MB/s`);
}
