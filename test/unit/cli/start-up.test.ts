import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** What start-up must not load: the control room's stack, the config schema, the full client. */
const HEAVY = ['ink', 'react', 'node-pty', '@xterm/headless', 'zod', 'undici', 'ws'];

/** The URLs (and CommonJS paths) of the modules a fresh `node` loads to run `script` (ESM). */
function modulesLoaded(script: string, env: NodeJS.ProcessEnv = {}): string[] {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/helpers/loaded-modules.ts',
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  expect(line, r.stderr).toBeDefined();
  return JSON.parse(line!.slice('LOADED '.length)) as string[];
}

/** The packages a fresh `node` loads to run `script` (ESM, from the repository root). */
function packagesLoaded(script: string, env: NodeJS.ProcessEnv = {}): string[] {
  const packages = modulesLoaded(script, env).flatMap(
    (u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? [],
  );
  // tsx, which runs the TypeScript here, brings esbuild.
  return [...new Set(packages)].filter((p) => !/^(tsx|esbuild|@esbuild\/.*)$/.test(p));
}

/** The command definition modules (src/cli/commands/*.ts) `coi ARGS` loads. */
function commandModulesLoaded(args: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const script = `const { main } = await import('./src/cli/main.ts'); await main(${JSON.stringify(['node', 'coi', ...args])});`;
  return modulesLoaded(script, env)
    .flatMap((u) => /\/src\/cli\/commands\/([^/]+)\.ts$/.exec(u)?.[1] ?? [])
    .sort();
}

const NO_INCUS = { INCUS_SOCKET: join(ROOT, 'no-such-socket'), HOME: join(ROOT, 'no-such-home') };

// Each case starts node with tsx a few times: seconds on a loaded 2-core host.
describe('CLI start-up', { timeout: 30_000 }, () => {
  it('defines every command without loading what only their actions use', () => {
    const loaded = packagesLoaded(
      "const { buildProgram } = await import('./src/cli/program.ts'); (await buildProgram());",
    );
    expect(loaded).toContain('commander');
    expect(loaded.filter((p) => HEAVY.includes(p) || p === 'smol-toml')).toEqual([]);
  });

  it('runs `coi version` on commander alone', () => {
    const loaded = packagesLoaded(
      "const { main } = await import('./src/cli/main.ts'); await main(['node', 'coi', 'version']);",
    );
    expect(loaded).toEqual(['commander']);
  });

  it('reaches Incus for `coi list` without zod, undici or ws, and TOML only for a project', () => {
    const list =
      "const { main } = await import('./src/cli/main.ts'); await main(['node', 'coi', 'list']);";
    const loaded = packagesLoaded(list, NO_INCUS);
    expect(loaded.filter((p) => HEAVY.includes(p) || p === 'smol-toml')).toEqual([]);
    // A config file that may name `[incus] project` is parsed.
    const home = mkdtempSync(join(tmpdir(), 'coi-start-up-'));
    try {
      mkdirSync(join(home, '.coi'));
      writeFileSync(join(home, '.coi', 'config.toml'), '[incus]\nproject = "default"\n');
      expect(packagesLoaded(list, { ...NO_INCUS, HOME: home })).toContain('smol-toml');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('defines only the command its first word names, after global flags too', () => {
    expect(commandModulesLoaded(['version'])).toEqual(['version']);
    expect(commandModulesLoaded(['list'], NO_INCUS)).toEqual(['list']);
    expect(commandModulesLoaded(['-w', '/tmp', '--slot=2', 'version'])).toEqual(['version']);
  });

  it('defines every command for help and for a word that is no command', () => {
    expect(commandModulesLoaded(['--help']).length).toBeGreaterThan(25);
    expect(commandModulesLoaded(['lst']).length).toBeGreaterThan(25);
  });

  it('runs from the start-up bundle only the bundled commands, deciding on the words first', async () => {
    const { BUNDLED_COMMANDS, runsBundled } = await import('../../../src/cli/start-up.js');
    expect(BUNDLED_COMMANDS).toEqual(['list', 'version']);
    const runs = (...args: string[]) => runsBundled(['node', 'coi', ...args]);
    expect(await runs('list', '--json')).toBe(true);
    expect(await runs('-w', '/tmp', 'version')).toBe(true);
    for (const args of [['shell'], ['snapshot', 'list'], ['list', '--help'], ['lst'], []])
      expect(await runs(...args), args.join(' ')).toBe(false);
    // A run that names no bundled command decides without commander.
    const decide = (word: string) =>
      `const { runsBundled } = await import('./src/cli/start-up.ts'); await runsBundled(['node', 'coi', '${word}']);`;
    expect(packagesLoaded(decide('shell'))).toEqual([]);
    expect(packagesLoaded(decide('list'))).toEqual(['commander']);
  });
});
