import { randomBytes } from 'node:crypto';
import type { IncusApi } from '../../incus/interfaces.js';
import { instanceAddresses, pickFree, withFreeAddress } from '../../security/network/index.js';
import type { NetworkPolicy } from '../../security/nft/index.js';
import { Reverter, withUndoFailures } from '../../shared/revert.js';
import { forceDelete } from '../container/force-delete.js';
import { localImageSource } from '../container/lifecycle.js';
import { startExplained } from '../container/start-explained.js';
import { defaultHostNetwork, openGuard } from '../session/network.js';
import {
  blockedTarget,
  parseProbeOutput,
  PROBE_SCRIPT,
  type BlockedTarget,
  type ProbeOutput,
} from './probe-plan.js';

export interface ProbeOptions {
  image: string;
  policy: NetworkPolicy;
  /** The probe is named `<prefix>health-<random>`: not a session name, so no listing shows it. */
  prefix: string;
  /** Where the address allocation lock lives (~/.coi/locks). */
  lockDir: string;
}

export interface ProbeReport extends ProbeOutput {
  container: string;
  ip: string;
  gatewayIp: string;
  /** What was tried against the restriction, or why nothing was. */
  tried: (BlockedTarget & { address: string }) | { none: string };
}

/**
 * Launches a throw-away container the way a session's is secured (address pinned, gated, the
 * policy's rules in before it starts), runs PROBE_SCRIPT in it and deletes it with its rules,
 * whatever happened.
 */
export async function runNetworkProbe(incus: IncusApi, opts: ProbeOptions): Promise<ProbeReport> {
  const host = await defaultHostNetwork(incus);
  if (!host) throw new Error('the default profile has no bridge with an IPv4 gateway');
  const source = await localImageSource(incus, opts.image);
  const guard = await openGuard(incus, host.bridge);
  const container = `${opts.prefix}health-${randomBytes(3).toString('hex')}`;
  const revert = new Reverter();
  let report: ProbeReport;
  try {
    const ip = await withFreeAddress(incus, host.bridge, opts.lockDir, container, async (free) => {
      const op = await incus.instances.create({
        name: container,
        image: source,
        devices: {
          eth0: {
            type: 'nic',
            network: host.bridge,
            name: 'eth0',
            'ipv4.address': free,
            'security.ipv4_filtering': 'true',
            'security.mac_filtering': 'true',
          },
        },
        start: false,
      });
      await op.wait();
      return free;
    });
    revert.add(async () => (await forceDelete(incus, container)).wait());
    revert.add(() => guard.release(ip));
    await guard.prepare(container, ip, opts.policy);
    await guard.apply(ip);
    await startExplained(incus, container);
    const tried = await target(incus, host.bridge, opts.policy);
    const args =
      'none' in tried
        ? [host.gateway, '', '']
        : [host.gateway, tried.address, tried.kind === 'private' ? 'gateway' : ''];
    const result = await incus.exec.run(container, ['sh', '-c', PROBE_SCRIPT, 'probe', ...args]);
    report = {
      ...parseProbeOutput(result.stdout.toString('utf8')),
      container,
      ip,
      gatewayIp: host.gateway,
      tried,
    };
  } catch (err) {
    throw withUndoFailures(err, await revert.fail());
  }
  const failures = await revert.fail();
  if (failures.length)
    throw new Error(`the probe ${container} could not be removed: ${failures[0]!.message}`);
  return report;
}

/** The blocked destination with its address: for a private one, a free address of the bridge. */
async function target(
  incus: IncusApi,
  bridge: string,
  policy: NetworkPolicy,
): Promise<ProbeReport['tried']> {
  const blocked = blockedTarget(policy);
  if ('none' in blocked || blocked.kind === 'documentation') return blocked;
  const [network, leases, used] = await Promise.all([
    incus.networks.get(bridge),
    incus.networks.leases(bridge),
    instanceAddresses(incus),
  ]);
  for (const lease of leases) used.add(lease.address);
  return { ...blocked, address: pickFree(network.config['ipv4.address'] ?? '', used) };
}
