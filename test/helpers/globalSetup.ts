import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { setupHost } from '../../src/core/host/setup.js';
import { ensureCachedDefault } from './cached-default.js';
import { endRemoteBed, findLeaks, removeLeaks } from './leaks.js';
import { silentProgress } from './progress.js';

/**
 * Before the integration run: the idempotent host set-up in test mode (cheap when all is there),
 * the tests' coi-default (cheap when current), and a run id that prefixes every test resource.
 * After it: the leak check, which fails the run if a container, image or nft table of this run is
 * left behind (and removes it); it also ends the remote bed the files share (remote-incus.ts),
 * and what of it outlives that is a leak too. Both integration projects name this file; the
 * set-up is done once per run, in the one main process.
 */
export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const shared = globalThis as { coiTestSetup?: Promise<void> };
  shared.coiTestSetup ??= setUpOnce();
  await shared.coiTestSetup;
  const prefix = `coi-test-${process.env.COI_TEST_RUN}-`;

  return async () => {
    const leaks = await findLeaks(prefix);
    await removeLeaks(leaks);
    leaks.push(...(await endRemoteBed()));
    if (leaks.length === 0) return;
    throw new Error(
      `the integration run left resources behind (now removed):\n  ${leaks.map((l) => `${l.kind} ${l.name}`).join('\n  ')}`,
    );
  };
}

async function setUpOnce(): Promise<void> {
  const report = await setupHost({ test: true, progress: silentProgress });
  const run = process.env.COI_TEST_RUN ?? randomBytes(3).toString('hex');
  process.env.COI_TEST_RUN = run;
  process.env.COI_TEST_BRIDGE = report.bridge;
  process.env.COI_TEST_GATEWAY = report.gateway;
  await ensureCachedDefault(`coi-test-${run}-`);
}
