// `npm run bench [name…]`: runs every bench/<name>.ts that exports `run()` (or only the named ones).
// Each bench measures its own baseline in the same run and prints ratios, never pass/fail timings.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => basename(f, '.ts'))
  .filter((name) => wanted.length === 0 || wanted.includes(name));

for (const name of benches) {
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
    run?: () => Promise<void>;
  };
  if (typeof mod.run !== 'function') continue;
  console.log(`\n=== bench/${name}`);
  await mod.run();
}
process.exit(0);
