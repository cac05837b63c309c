import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESOLVER_PORT } from '../../../../src/security/dns/index.js';
import { parseAllowlist, parseTableListing } from '../../../../src/security/nft/index.js';
import {
  NetworkGuard,
  instanceAddresses,
  listCoiTable,
  withFreeAddress,
} from '../../../../src/security/network/index.js';
import {
  ADDRESS_LOCK_DIR,
  RESTRICTED,
  hostListener,
  launchGuarded,
  percentile,
  sh,
} from '../../../helpers/network-testbed.js';
import {
  incusApis,
  BRIDGE,
  GATEWAY,
  deleteTestContainer,
  launchTestContainer,
  testName,
} from '../../../helpers/testbed.js';

const guard = new NetworkGuard({
  bridge: BRIDGE,
  gateway: GATEWAY,
  resolver: { address: GATEWAY, port: DEFAULT_RESOLVER_PORT },
});
/** TEST-NET-1: never on the bridge, so the cycles cannot touch a real container's rules. */
const CYCLE_IP = '192.0.2.201';
const released: string[] = [];
const PORT = 40_000 + Math.floor(Math.random() * 10_000);

afterAll(async () => {
  for (const ip of [CYCLE_IP, ...released]) await guard.release(ip);
});

async function objectsOf(ip: string): Promise<{ owned: boolean; text: string }> {
  const listing = (await listCoiTable()) ?? '{"nftables":[]}';
  return {
    owned: parseTableListing(listing).containers.has(ip),
    text: listing,
  };
}

describe('NetworkGuard lifecycle against the real nftables', () => {
  it('keeps a prepared container gated until its policy is applied', async () => {
    const listener = await hostListener(GATEWAY, PORT);
    try {
      const gated = await launchGuarded('net-gated', guard, RESTRICTED, { gateOnly: true });
      released.push(gated.ip);
      expect((await sh(gated.name, `nc -z -w 2 ${GATEWAY} ${PORT}`)).code).not.toBe(0);
      await guard.apply(gated.ip);
      expect((await sh(gated.name, `nc -z -w 2 ${GATEWAY} ${PORT}`)).code).toBe(0);
      await guard.release(gated.name);
      await deleteTestContainer(gated.name);
    } finally {
      listener.close();
    }
  });

  it('reconcile removes the chain and sets of a container that was deleted', async () => {
    const gone = await launchGuarded('net-gone', guard, RESTRICTED);
    released.push(gone.ip);
    expect((await objectsOf(gone.ip)).owned).toBe(true);
    await deleteTestContainer(gone.name);
    const stale = await guard.reconcile(() => instanceAddresses(incusApis()));
    expect(stale).toContain(gone.ip);
    const after = await objectsOf(gone.ip);
    expect(after.owned).toBe(false);
    expect(after.text).not.toContain(gone.ip.replaceAll('.', '_'));
    expect(guard.containerOf(gone.ip)).toBeUndefined();
  });

  it('gives two racing launches different pinned addresses', async () => {
    const pick = (label: string) =>
      withFreeAddress(incusApis(), BRIDGE, ADDRESS_LOCK_DIR, testName(label), async (ip) => {
        await launchTestContainer(label, {
          start: false,
          devices: { eth0: { type: 'nic', network: BRIDGE, name: 'eth0', 'ipv4.address': ip } },
        });
        return ip;
      });
    const [a, b] = await Promise.all([pick('net-race-a'), pick('net-race-b')]);
    expect(a).not.toBe(b);
    await Promise.all([
      deleteTestContainer(testName('net-race-a')),
      deleteTestContainer(testName('net-race-b')),
    ]);
  });

  it('leaves nothing behind after 50 prepare/apply/learn/release cycles', async () => {
    const allowlist = {
      ...RESTRICTED,
      mode: 'allowlist' as const,
      allowlist: parseAllowlist(['example.test', '192.0.2.0/28:443']),
    };
    const applyMs: number[] = [];
    const prepareMs: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const policy = i % 2 === 0 ? RESTRICTED : allowlist;
      let t = performance.now();
      await guard.prepare(`cycle-${i}`, CYCLE_IP, policy);
      prepareMs.push(performance.now() - t);
      t = performance.now();
      await guard.apply(CYCLE_IP);
      applyMs.push(performance.now() - t);
      if (policy.mode === 'allowlist')
        await guard.learn(CYCLE_IP, [{ address: '198.51.100.7' }], 300);
      await guard.release(CYCLE_IP);
    }
    console.log(
      `nft per container (ms, n=50): gate p50 ${percentile(prepareMs, 50).toFixed(1)} ` +
        `p95 ${percentile(prepareMs, 95).toFixed(1)}; apply p50 ${percentile(applyMs, 50).toFixed(1)} ` +
        `p95 ${percentile(applyMs, 95).toFixed(1)}`,
    );
    const after = await objectsOf(CYCLE_IP);
    expect(after.owned).toBe(false);
    expect(after.text).not.toContain(CYCLE_IP.replaceAll('.', '_'));
    expect(after.text).not.toContain(`"${CYCLE_IP}"`);
  });
});
