import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../../../src/shared/naming.js';
import { NetworkGuard } from '../../../../src/security/network/index.js';
import { MonitorBed } from '../../../helpers/monitor-bed.js';
import { RESTRICTED, launchGuarded, sh } from '../../../helpers/network-testbed.js';
import { BRIDGE, GATEWAY, TEST_PREFIX } from '../../../helpers/testbed.js';

/**
 * Network attacks seen in the kernel log of coi's nft rules (the other half of issue 5): the
 * monitor daemon attributes the logged packet to the container and the responder kills it.
 */

const guard = new NetworkGuard({ bridge: BRIDGE, gateway: GATEWAY });
let bed: MonitorBed;

beforeAll(async () => {
  bed = new MonitorBed({ guard });
  await bed.start();
});

afterAll(async () => {
  await bed?.close();
});

/** A coi-named container with a pinned address and restricted-mode rules, watched. */
async function launch(label: string): Promise<{ name: string; ip: string }> {
  const name = containerName(`/monitor-test/${label}`, 1, TEST_PREFIX);
  const launched = await launchGuarded(name.slice(TEST_PREFIX.length), guard, RESTRICTED);
  await bed.daemon.watchOf(launched.name);
  return launched;
}

describe('network attacks through the kernel log', () => {
  it('kills a container that connects to port 4444', async () => {
    const c = await launch('net-4444');
    void sh(c.name, `nc -z -w 2 ${GATEWAY} 4444`).catch(() => undefined);
    const record = await bed.waitForRecord(c.name, (r) => r.category === 'network');
    expect(record).toMatchObject({
      level: 'critical',
      title: 'Connection to suspicious port',
      action: 'killed',
    });
    expect(record.evidence).toMatchObject({ network: { dst_ip: GATEWAY, dst_port: 4444 } });
    await bed.waitForStatus(c.name, undefined);
  });

  it('kills a container that reaches for the metadata endpoint', async () => {
    const c = await launch('net-meta');
    void sh(c.name, 'nc -z -w 2 169.254.169.254 80').catch(() => undefined);
    const record = await bed.waitForRecord(c.name, (r) => r.category === 'network');
    expect(record).toMatchObject({ level: 'critical', title: 'Metadata endpoint access' });
    expect(record.action).toBe('killed');
    await bed.waitForStatus(c.name, undefined);
  });
});
