import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  prepareContainer,
  SessionSetupError,
  type InsideSetup,
} from '../../../../src/core/session/inside.js';
import { Incus } from '../../../../src/incus/index.js';
import { pickFree, withFreeAddress } from '../../../../src/security/network/addresses.js';
import { ADDRESS_LOCK_DIR, sh } from '../../../helpers/network-testbed.js';
import { BRIDGE, incusApis, launchTestContainer } from '../../../helpers/testbed.js';

/**
 * The preparation's wait for the pinned address, on a real container that holds a dynamic one:
 * what a session sees when Incus's dnsmasq answered its first DHCP request before it read the pin.
 * Started unpinned, the container takes a dynamic lease; the pin then goes on its NIC (Incus
 * rewrites dnsmasq's host entry for the running instance) and the preparation must bring it in.
 */

const client = Incus.local();
const lockDir = mkdtempSync(join(tmpdir(), 'coi-inside-'));
let name: string;
let dynamic: string;
let pin: string;

afterAll(async () => {
  await client.close();
  rmSync(lockDir, { recursive: true, force: true });
});

/** eth0's IPv4 addresses. */
async function eth0(): Promise<string[]> {
  const { out } = await sh(name, 'ip -4 -o addr show dev eth0 2>/dev/null || true');
  return [...out.matchAll(/ inet ([\d.]+)\//g)].map((m) => m[1]!);
}

const setup = (ipv4: string, readyTimeoutSeconds: number): InsideSetup => ({
  hostname: name,
  ipv4,
  codeUser: 'code',
  codeUid: 1000,
  imageUid: 1000,
  gitGuards: { protectedBranches: [] },
  stopGraceful: true,
  readyTimeoutSeconds,
});

beforeAll(async () => {
  name = await launchTestContainer('pin');
  for (let i = 0; i < 300 && !dynamic; i += 1) {
    dynamic = (await eth0())[0] ?? '';
    if (!dynamic) await sleep(100);
  }
  expect(dynamic, 'the unpinned container got no dynamic address within 30 s').toMatch(/\./);
  const nic = (await client.instances.get(name)).value.expanded_devices?.eth0 ?? {};
  pin = await withFreeAddress(incusApis(), BRIDGE, ADDRESS_LOCK_DIR, name, async (ip) => {
    await client.instances.patch(name, { devices: { eth0: { ...nic, 'ipv4.address': ip } } });
    return ip;
  });
}, 180_000);

describe('waiting for the pinned address', () => {
  it('renews the dynamic lease and ends with eth0 holding the pin', async () => {
    expect(await eth0()).toEqual([dynamic]);
    await prepareContainer(client, name, setup(pin, 30));
    expect(await eth0()).toEqual([pin]);
    // A dhclient runs on to keep the renewed lease.
    expect((await sh(name, 'pgrep -x dhclient >/dev/null')).code).toBe(0);
  }, 60_000);

  it('fails within the deadline, naming both addresses, when DHCP cannot give the awaited one', async () => {
    const subnet = (await client.networks.get(BRIDGE)).config['ipv4.address'] ?? '';
    const other = pickFree(subnet, new Set([pin, dynamic]));
    const started = Date.now();
    const failure = prepareContainer(client, name, setup(other, 3));
    await expect(failure).rejects.toThrow(SessionSetupError);
    await expect(failure).rejects.toThrow(
      `${name} was not ready within 3s (eth0 holds ${pin}, not its pinned ${other}, also after ` +
        "renewing its DHCP lease); the bridge's DHCP server (Incus's dnsmasq) gave the container",
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
