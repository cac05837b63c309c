import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withFreeAddress } from '../../../../src/security/network/index.js';
import {
  BRIDGE,
  deleteTestContainer,
  incusApis,
  launchTestContainer,
  testName,
} from '../../../helpers/testbed.js';

/** Two homes: each launch has its own ~/.coi/locks, so the lock does not order them. */
const homes = mkdtempSync(join(tmpdir(), 'coi-addresses-'));
const labels = ['addr-home-a', 'addr-home-b'];

afterAll(async () => {
  await Promise.all(labels.map((label) => deleteTestContainer(testName(label))));
  rmSync(homes, { recursive: true, force: true });
});

describe('pinned addresses against the real Incus', () => {
  it('two concurrent launches from two homes get different addresses, and both start', async () => {
    const picks: string[] = [];
    const launch = (label: string) =>
      withFreeAddress(
        incusApis(),
        BRIDGE,
        join(homes, label, 'locks'),
        testName(label),
        async (ip) => {
          picks.push(ip);
          await launchTestContainer(label, {
            start: false,
            devices: { eth0: { type: 'nic', network: BRIDGE, name: 'eth0', 'ipv4.address': ip } },
          });
          return ip;
        },
      );
    const [a, b] = await Promise.all(labels.map(launch));
    console.log(`picks in order: ${picks.join(', ')} (a repeated pick is a claim given up)`);
    expect(a).not.toBe(b);
    const { instances } = incusApis();
    await Promise.all(
      labels.map(async (label) =>
        (await instances.start(testName(label))).wait({ timeoutMs: 60_000 }),
      ),
    );
  });
});
