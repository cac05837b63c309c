// CLI start-up, in one run: `coi version` and `coi list` with 10 (stopped) coi containers, as
// child processes, against `node -e 0` (Node's own start-up) — the target is within 1.5x of it.
// `import 'commander'` alone (an ES module and commander, nothing of coi's) was the floor of the ES
// modules; both commands now run from the CommonJS start-up bundle (src/cli/start-up.ts), so can
// beat it.
// Run with `npm run bench cli` or `npx tsx bench/cli.ts` (needs a built dist/ and the Incus daemon).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IncusClient } from '../src/incus/client.js';
import { coiKeysConfig } from '../src/shared/instance-keys.js';
import { workspaceHash } from '../src/shared/naming.js';
import { launchBenchContainer, removeBenchContainer } from './_containers.js';

const ROUNDS = 21;
const CONTAINERS = 10;
const TARGET = 1.5;
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'coi.js');

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of one child process, in ms; it must exit 0. */
function timedChild(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return ms;
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run -s build` first (or `npm run bench cli`)');
  }
  const prefix = `coi-bench-${randomBytes(3).toString('hex')}-`;
  const root = mkdtempSync(join(tmpdir(), 'coi-bench-cli-'));
  const home = join(root, 'home');
  const workspace = join(root, 'project');
  mkdirSync(join(home, '.coi'), { recursive: true });
  mkdirSync(workspace);
  writeFileSync(join(home, '.coi', 'config.toml'), '');
  const env = { ...process.env, HOME: home, COI_CONTAINER_PREFIX: prefix };
  // A client each for making and removing: the daemon drops a connection idle for the minute
  // the measuring takes.
  const maker = IncusClient.local();
  const names = Array.from(
    { length: CONTAINERS },
    (_, i) => `${prefix}${workspaceHash(workspace)}-${i + 1}`,
  );
  const commands = {
    node: ['-e', '0'],
    commander: ['--input-type=module', '-e', "import 'commander';"],
    version: [BIN, 'version'],
    list: [BIN, 'list'],
  };
  const samples: Record<keyof typeof commands, number[]> = {
    node: [],
    commander: [],
    version: [],
    list: [],
  };
  try {
    const config = coiKeysConfig({ workspace, persistent: true });
    await Promise.all(
      names.map((name) => launchBenchContainer(maker, name, { start: false, config })),
    );
    const listed = spawnSync(process.execPath, [BIN, 'list', '--json'], { env, encoding: 'utf8' });
    const count = (JSON.parse(listed.stdout) as { active_containers: unknown[] }).active_containers
      .length;
    if (count !== CONTAINERS)
      throw new Error(`coi list shows ${count} containers, not ${CONTAINERS}`);
    // One warm-up of each, then alternate so load on the machine hits all alike.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [key, args] of Object.entries(commands) as [keyof typeof commands, string[]][]) {
        const ms = timedChild(args, env);
        if (round > 0) samples[key].push(ms);
      }
    }
  } finally {
    await maker.close();
    const remover = IncusClient.local();
    await Promise.all(
      names.map((name) => removeBenchContainer(remover, name).catch(() => undefined)),
    );
    await remover.close();
    rmSync(root, { recursive: true, force: true });
  }

  const node = median(samples.node);
  const line = (label: string, ms: number) =>
    console.log(
      `${label.padEnd(40)} median ${ms.toFixed(0).padStart(5)} ms  ${(ms / node).toFixed(2)}x node`,
    );
  console.log(`${ROUNDS} rounds, medians; ratio against \`node -e 0\` (target: ${TARGET}x)`);
  line('node -e 0', node);
  line("node: import 'commander' (ESM floor)", median(samples.commander));
  line('coi version', median(samples.version));
  line(`coi list (${CONTAINERS} stopped containers)`, median(samples.list));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
  process.exit(0);
}
