import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImageRecipe, RECIPE_PROPERTY } from '../../../../src/core/image/default-recipe.js';
import { recipeHash } from '../../../../src/core/image/recipe.js';
import { ImagesApi } from '../../../../src/incus/images.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { CACHED_DEFAULT } from '../../../helpers/cached-default.js';
import {
  BASE_IMAGE,
  incus,
  launchTestContainer,
  TEST_PREFIX,
  testName,
} from '../../../helpers/testbed.js';

/**
 * The coi-default build on the offline path, under the tests' alias (CACHED_DEFAULT): the global
 * set-up builds it when its recipe changed, before the files that run in it start, so here the
 * CLI keeps it unless it was removed meanwhile.
 */

let sandbox: CoiSandbox;
const images = () => new ImagesApi(incus());

beforeAll(() => {
  ensureBuilt();
  sandbox = new CoiSandbox('[container.build]\ncompression = "none"\n');
});

afterAll(async () => {
  await sandbox.remove();
});

const coi = (args: string[], timeoutMs = 600_000) => sandbox.run(args, { timeoutMs });

async function buildContainers(): Promise<string[]> {
  const all = await incus().get<{ name: string }[]>('/1.0/instances', { recursion: 1 });
  return all.map((i) => i.name).filter((n) => n.startsWith(`${TEST_PREFIX}build-`));
}

describe('coi build custom / --profile', () => {
  it('fails on a missing script before creating anything', async () => {
    const r = await coi([
      'build',
      'custom',
      testName('never'),
      '--script',
      '/no/such/script.sh',
      '--base',
      BASE_IMAGE,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/build script \/no\/such\/script\.sh does not exist/);
    expect(await buildContainers()).toEqual([]);
  });

  it('fails with the script output and leaves no container or image behind', async () => {
    const script = join(sandbox.root, 'fail.sh');
    writeFileSync(script, 'echo preparing\necho "it broke" >&2\nexit 4\n');
    const alias = testName('broken');
    const r = await coi(['build', 'custom', alias, '--script', script, '--base', BASE_IMAGE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /failed \(exit 4\):\npreparing\nit broke|failed \(exit 4\):\nit broke\npreparing/,
    );
    expect(await buildContainers()).toEqual([]);
    expect(await images().findByAlias(alias)).toBeUndefined();
  });

  it('builds a profile’s image from its [container.build] script', async () => {
    const alias = testName('prof-img');
    const dir = join(sandbox.coiDir, 'profiles', 'custom');
    await sandbox.run(['profile', 'create', 'custom']);
    writeFileSync(join(dir, 'build.sh'), 'echo built-by-profile > /etc/coi-profile-marker\n');
    writeFileSync(
      join(dir, 'config.toml'),
      `[container]\nimage = "${alias}"\n[container.build]\nbase = "${BASE_IMAGE}"\nscript = "build.sh"\n`,
    );
    const r = await coi(['build', '--profile', 'custom']);
    expect(r.stderr).toMatch(new RegExp(`Built ${alias}\\. Log: .*build-${alias}\\.log`));
    expect(r.code).toBe(0);
    try {
      const box = await launchTestContainer('prof-check', { image: alias });
      const cat = await coi(['container', 'exec', box, '--', 'cat', '/etc/coi-profile-marker']);
      expect(cat.stdout).toBe('built-by-profile\n');
      const kept = await coi(['build', '--profile', 'custom']);
      expect(kept.stderr).toMatch(/exists; kept/);
    } finally {
      await coi(['image', 'delete', alias]);
    }
    expect(await buildContainers()).toEqual([]);
  });
});

describe('coi build (coi-default, offline path)', () => {
  it('builds the image once per recipe and it runs the agents and tools', async () => {
    const current = await images().findByAlias(CACHED_DEFAULT);
    const stale =
      current && current.properties?.[RECIPE_PROPERTY] !== recipeHash(defaultImageRecipe);
    const started = Date.now();
    const r = await coi(
      ['build', '--alias', CACHED_DEFAULT, ...(stale ? ['--force'] : [])],
      1_500_000,
    );
    expect(r.code, r.stderr).toBe(0);
    console.info(
      `coi build (${current && !stale ? 'cached' : 'fresh'}): ${Math.round((Date.now() - started) / 1000)} s`,
    );
    if (current && !stale) expect(r.stderr).toMatch(/exists .*; kept/);
    else expect(r.stderr).toMatch(/Built coi-test-default .* Log: /);

    const box = await launchTestContainer('default-check', { image: CACHED_DEFAULT });
    for (const [command, expected] of [
      ['claude --version', /Claude Code/],
      ['docker --version', /Docker version/],
      ['tmux -V', /tmux \d/],
      ['node --version', /v20\./],
      ['gh --version', /gh version/],
      ['opencode --version', /\d+\.\d+/],
      ['pi --version', /\d+\.\d+/],
      ['id -nG code', /\bdocker\b/],
      [
        'test -x /usr/local/bin/close && test -e /usr/local/bin/stop && cat ~/SANDBOX_CONTEXT.md',
        /Sandbox context/,
      ],
    ] as const) {
      const out = await coi([
        'container',
        'exec',
        box,
        '--user',
        '1000',
        '--',
        'bash',
        '-lc',
        command,
      ]);
      expect(out.code, `${command}: ${out.stderr}`).toBe(0);
      expect(`${out.stdout}${out.stderr}`, command).toMatch(expected);
    }
  }, 1_800_000);
});

describe('coi build --all', () => {
  it('builds coi-default first (cached), then the profiles with a build by name, and sums up', async () => {
    const box = new CoiSandbox('[container.build]\ncompression = "none"\n');
    const alpha = testName('all-alpha');
    const zeta = testName('all-zeta');
    const profile = (name: string, config: string) => {
      mkdirSync(join(box.coiDir, 'profiles', name), { recursive: true });
      writeFileSync(join(box.coiDir, 'profiles', name, 'config.toml'), config);
    };
    const built = (image: string, marker: string) =>
      `[container]\nimage = "${image}"\n[container.build]\nbase = "${BASE_IMAGE}"\n` +
      `commands = ["echo ${marker} > /etc/coi-all-marker"]\n`;
    try {
      profile('zeta', built(zeta, 'zeta'));
      profile('alpha', built(alpha, 'alpha'));
      profile('plain', '[container]\npersistent = true\n');
      profile('broken', '[network]\nmode = "sideways"\n');
      const all = ['build', '--all', '--alias', CACHED_DEFAULT];
      const r = await box.run(all, { timeoutMs: 1_500_000 });
      expect(r.code, r.stderr).toBe(1);
      const order = ['[default]', '[alpha]', '[broken]', '[zeta]'].map((tag) =>
        r.stderr.indexOf(tag),
      );
      expect(
        order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)),
        r.stderr,
      ).toBe(true);
      expect(r.stderr).not.toContain('[plain]');
      expect(r.stderr).toContain(`[default] Image '${CACHED_DEFAULT}' already exists`);
      expect(r.stderr).toContain(`[alpha] Image '${alpha}' built successfully.`);
      expect(r.stderr).toContain(`[zeta] Image '${zeta}' built successfully.`);
      expect(r.stderr).toMatch(/\[broken\] Failed: .*network\.mode/);
      expect(r.stderr).toContain(
        '--- Build summary ---\n  Built:   2\n  Skipped: 1\n  Failed:  1\n',
      );
      expect(r.stderr).toMatch(/1 build\(s\) failed:\n {2}profile 'broken': /);
      expect((await images().findByAlias(zeta))?.fingerprint).toBeTruthy();

      writeFileSync(join(box.coiDir, 'profiles', 'broken', 'config.toml'), '');
      const again = await box.run(all, { timeoutMs: 600_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('  Built:   0\n  Skipped: 3\n  Failed:  0\n');

      const both = await box.run(['build', '--all', '--profile', 'alpha']);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--all and --profile are mutually exclusive/);
    } finally {
      for (const alias of [alpha, zeta]) await box.run(['image', 'delete', alias]);
      await box.remove();
    }
    expect(await buildContainers()).toEqual([]);
  }, 1_800_000);
});
