import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../helpers/coi-cli.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'coi.js');
const DIST = join(ROOT, 'dist', '/');
const MAIN = join(DIST, 'cli', 'main.js');

// A home whose config names the Incus project (so `coi list` parses TOML), and a prefix no
// container has: both ways of running see the same (empty) listing.
const HOME = mkdtempSync(join(tmpdir(), 'coi-bin-'));
const ENV = { ...process.env, HOME, COI_CONTAINER_PREFIX: 'coi-bin-none-' };

beforeAll(() => {
  ensureBuilt();
  mkdirSync(join(HOME, '.coi'));
  writeFileSync(join(HOME, '.coi', 'config.toml'), '[incus]\nproject = "default"\n');
});
afterAll(() => rmSync(HOME, { recursive: true, force: true }));

/** `coi ARGS` as bin/coi.js runs it: its output and exit code. */
function viaBin(args: string[], env: NodeJS.ProcessEnv = ENV) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The files of dist/ that `coi ARGS` loads. */
function distLoaded(args: string[], env: NodeJS.ProcessEnv = ENV): string[] {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/loaded-modules.ts', BIN, ...args],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  const loaded = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  expect(loaded, r.stderr).toBeDefined();
  const files = (JSON.parse(loaded!.slice('LOADED '.length)) as string[]).flatMap((u) => {
    const path = u.startsWith('file:') ? fileURLToPath(u) : u;
    return path.startsWith(DIST) ? [path.slice(DIST.length)] : [];
  });
  return [...new Set(files)];
}

/** `coi ARGS` run from the ES modules of dist/, as every command ran before the bundle. */
function viaModules(args: string[], env: NodeJS.ProcessEnv = ENV) {
  const argv = JSON.stringify(['node', 'coi', ...args]);
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(${argv});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('bin/coi.js', () => {
  it('ends quietly when the reader of its output goes away (`coi --help | head -1`)', () => {
    // `true` reads nothing and exits at once: every write of the help meets a closed pipe.
    for (const reader of ['true', 'head -1']) {
      const r = spawnSync(
        'bash',
        ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" --help | ${reader}`],
        { encoding: 'utf8' },
      );
      expect(r.stderr, reader).toBe('');
      expect(r.status, reader).toBe(0);
    }
  });

  it('starts `coi version` without node:child_process, which commander only needs for executables', () => {
    const main = join(import.meta.dirname, '..', '..', '..', 'dist', 'cli', 'main.js');
    const script = `const { main } = await import(${JSON.stringify(main)}); await main(['node', 'coi', 'version']);
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => /child_process|dgram/.test(m))));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').at(-2)).toBe('[]');
  });

  it('runs `coi list` and `coi version` from the start-up bundle alone, as the modules run them', () => {
    const badConfig = mkdtempSync(join(tmpdir(), 'coi-bin-bad-'));
    try {
      mkdirSync(join(badConfig, '.coi'));
      writeFileSync(join(badConfig, '.coi', 'config.toml'), '[incus]\nproject = 5\n');
      const bad = { ...ENV, HOME: badConfig };
      const runs: [string[], NodeJS.ProcessEnv][] = [
        [['version'], ENV],
        [['-w', '/tmp', 'version'], ENV],
        [['list'], ENV],
        [['list', '--all', '--json'], ENV],
        [['list', '--status', 'bogus'], ENV],
        [['list'], bad],
        [['list'], { ...ENV, INCUS_SOCKET: join(badConfig, 'no-such-socket') }],
      ];
      for (const [args, env] of runs)
        expect(viaBin(args, env), args.join(' ')).toEqual(viaModules(args, env));
      // The TOML of a config, saved sessions, a config error: all from the bundle.
      for (const [args, env] of [runs[0]!, runs[3]!, runs[5]!])
        expect(distLoaded(args, env), args.join(' ')).toEqual(['start-up.cjs']);
    } finally {
      rmSync(badConfig, { recursive: true, force: true });
    }
  });

  it('runs the bundle in strict mode, as the ES modules run: its first statement says so', () => {
    expect(readFileSync(join(DIST, 'start-up.cjs'), 'utf8')).toMatch(/^'use strict';\n/);
  });

  it('runs every other command from the ES modules of dist/, help of a bundled one too', () => {
    const args = ['list', '--help'];
    expect(distLoaded(args)).toContain('cli/main.js');
    expect(viaBin(args)).toEqual(viaModules(args));
  });

  it('starts `coi version` from the bundle without node:child_process too', () => {
    const exit = `process.on('exit', () => console.log(JSON.stringify(process.moduleLoadList.filter((m) => /child_process|dgram/.test(m)))));`;
    const r = spawnSync(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(exit)}`, BIN, 'version'],
      { env: ENV, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').at(-2)).toBe('[]');
  });
});
