import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgentsIn } from '../../../../src/core/image/agent-check.js';
import { BUILD_AGENTS } from '../../../../src/core/image/agents.js';
import { npmInstall } from '../../../../src/core/image/rootfs.js';
import { Incus } from '../../../../src/incus/index.js';
import { openLog } from '../../../../src/shared/run.js';
import { cachedNpmTree } from '../../../helpers/npm-tree-cache.js';
import { CACHED_DEFAULT } from '../../../helpers/cached-default.js';
import { silentProgress } from '../../../helpers/progress.js';
import { launchTestContainer } from '../../../helpers/testbed.js';

/**
 * The opt-in agents of `[container.build] agents`, without a full coi-default build: codex and
 * omp are installed from npm the way `coi build` installs them (on the host, into a /usr/local
 * tree), laid over /usr/local of the cached coi-default (made by the global set-up, see
 * cached-default.ts), and must answer `--version` there as the code
 * user, with no network. The installed tree is kept for a day (npm-tree-cache.ts): a run within
 * it skips the install.
 */

let incus: Incus;
let root: string;

beforeAll(() => {
  incus = Incus.local();
  root = mkdtempSync(join(tmpdir(), 'coi-agents-'));
});

afterAll(async () => {
  await incus?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('checkAgentsIn', () => {
  it('codex and omp from npm answer --version in coi-default; a missing one fails', async () => {
    const started = Date.now();
    const packages = [...BUILD_AGENTS.codex.packages, ...BUILD_AGENTS.omp.packages];
    const tree = await cachedNpmTree(packages, async (dir) => {
      const log = openLog(join(root, 'npm.log'));
      await npmInstall(dir, packages, log, silentProgress).finally(() => log.end());
    });
    const installed = Date.now();
    const name = await launchTestContainer('agents', {
      image: CACHED_DEFAULT,
      devices: {
        agents: {
          type: 'disk',
          source: join(tree.dir, 'usr/local'),
          path: '/opt/agents',
          readonly: 'true',
          shift: 'true',
        },
      },
    });
    const copy = await incus.exec.run(name, ['cp', '-a', '/opt/agents/.', '/usr/local/']);
    expect(copy.exitCode, copy.stderr.toString()).toBe(0);

    await checkAgentsIn(incus, name, ['codex', 'omp']);
    console.info(
      `codex + omp: npm install ${Math.round((installed - started) / 1000)} s` +
        `${tree.installed ? '' : ' (cached tree)'}, ` +
        `in the image and checked ${Math.round((Date.now() - installed) / 1000)} s`,
    );

    await incus.exec.run(name, ['rm', '/usr/local/bin/codex']);
    await expect(checkAgentsIn(incus, name, ['omp', 'codex'])).rejects.toThrow(
      /^`codex --version` failed in the built image \(exit 127\):\n.*codex: command not found/,
    );
  }, 600_000);
});
