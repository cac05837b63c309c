import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cgroupFrozen, freezeCgroup } from '../../../../src/security/response/freeze-cgroup.js';
import { COI_KEYS } from '../../../../src/shared/instance-keys.js';
import { containerName } from '../../../../src/shared/naming.js';
import { MonitorBed } from '../../../helpers/monitor-bed.js';
import { TEST_PREFIX, launchTestContainer } from '../../../helpers/testbed.js';

/**
 * A responder that died between its cgroup freeze and Incus's action (the daemon killed, the
 * host busy) leaves the processes frozen while Incus says Running: the next daemon finishes it.
 */

const bed = new MonitorBed();

function thaw(name: string): void {
  for (const [file, value] of [
    [`/sys/fs/cgroup/freezer/lxc.payload.${name}/freezer.state`, 'THAWED'],
    [`/sys/fs/cgroup/lxc.payload.${name}/cgroup.freeze`, '0'],
  ] as const)
    try {
      writeFileSync(file, value);
    } catch {
      // The other hierarchy, or gone.
    }
}

const names: string[] = [];

async function frozenBehindIncus(label: string, config: Record<string, string> = {}) {
  const workspace = `/monitor-test/${label}`;
  const name = containerName(workspace, 1, TEST_PREFIX);
  names.push(name);
  await launchTestContainer(name.slice(TEST_PREFIX.length), {
    config: { 'user.coi.workspace': workspace, 'user.coi.code_user': 'code', ...config },
  });
  expect(freezeCgroup(name)).toBe(true);
  expect(cgroupFrozen(name)).toBe(true);
  return name;
}

afterAll(async () => {
  for (const name of names) thaw(name);
  await bed.close();
});

describe('a response an earlier daemon did not finish', () => {
  it('is finished when the daemon starts: a marked kill carried out, a freeze made whole', async () => {
    const paused = await frozenBehindIncus('interrupted-pause');
    const killed = await frozenBehindIncus('interrupted-kill', {
      [COI_KEYS.threatKill]: 'Reverse shell detected',
    });
    expect(await bed.status(paused)).toBe('Running');

    await bed.start();
    await bed.waitForStatus(killed, undefined);
    const forensics = (await bed.incus.instances.names()).filter((n) =>
      n.startsWith(`${TEST_PREFIX}forensics-`),
    );
    expect(forensics).toHaveLength(1);
    await bed.waitForStatus(paused, 'Frozen');
    const { value } = await bed.incus.instances.get(paused);
    expect(value.config[COI_KEYS.frozenBy]).toBe('threat');
  });
});
