// The typed Incus client against the `incus` CLI doing the same thing, in one run:
// listing instances (recursion=1) and exec'ing `true` in a running container.
// Run with `npm run bench incus-client` or `npx tsx bench/incus-client.ts`.
import { execFileSync } from 'node:child_process';
import { launchBenchContainer, removeBenchContainer } from './_containers.js';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { IncusClient } from '../src/incus/client.js';
import { ExecApi } from '../src/incus/exec.js';

const ITERATIONS = 50;
const WARMUP = 5;

interface Stats {
  median: number;
  p95: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Alternates the two contenders so load on the machine hits both alike. */
async function compare(
  label: string,
  client: () => Promise<unknown>,
  cli: () => unknown,
): Promise<void> {
  for (let i = 0; i < WARMUP; i++) {
    await client();
    cli();
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    ours.push(await timed(client));
    theirs.push(await timed(cli));
  }
  const a = stats(ours);
  const b = stats(theirs);
  const ms = (n: number): string => `${n.toFixed(1).padStart(6)} ms`;
  console.log(
    `${label.padEnd(22)} client median ${ms(a.median)} p95 ${ms(a.p95)} | ` +
      `incus CLI median ${ms(b.median)} p95 ${ms(b.p95)} | ` +
      `${(b.median / a.median).toFixed(1)}x faster (median), ${(b.p95 / a.p95).toFixed(1)}x (p95)`,
  );
}

export async function run(): Promise<void> {
  const client = IncusClient.local();
  const exec = new ExecApi(client);
  const name = `coi-test-bench-${randomBytes(3).toString('hex')}`;
  const cli = (...args: string[]): Buffer => execFileSync('incus', args, { stdio: 'pipe' });
  console.log(`${ITERATIONS} iterations each (after ${WARMUP} warm-up), container ${name}`);
  await launchBenchContainer(client, name);
  try {
    await compare(
      'list (recursion=1)',
      () => client.get('/1.0/instances', { recursion: 1 }),
      () => cli('query', '/1.0/instances?recursion=1'),
    );
    await compare(
      'exec true',
      async () => {
        const r = await exec.run(name, ['true']);
        if (r.exitCode !== 0) throw new Error(`exec true returned ${r.exitCode}`);
      },
      () => cli('exec', name, '--', 'true'),
    );
  } finally {
    await removeBenchContainer(client, name);
    await client.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
