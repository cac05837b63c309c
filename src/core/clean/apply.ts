import { join } from 'node:path';
import type { IncusApi } from '../../incus/interfaces.js';
import { deleteVeth } from '../host/veths.js';
import { endSession } from '../session/end.js';
import { HostLocks } from '../session/host-locks.js';
import { removeFirewallOrphans } from '../session/network.js';
import type { CleanPlan } from './plan.js';

export interface ApplyOptions {
  coiDir: string;
  /** One line per item removed, and a warning per item that could not be. */
  say: (line: string) => void;
}

/**
 * Removes the leftovers of containers that are gone: host path locks, coi's nft objects of their
 * addresses and Incus veths without a bridge. Nothing in use is among them, so no question is
 * asked. Returns how many were removed.
 */
export async function cleanLeftovers(
  incus: Pick<IncusApi, 'instances'>,
  plan: Pick<CleanPlan, 'locks' | 'firewall' | 'veths'>,
  opts: ApplyOptions,
): Promise<number> {
  let cleaned = 0;
  const warn = (err: unknown) => opts.say(`Warning: ${(err as Error).message.split('\n')[0]}`);
  const each = async (items: string[], remove: (item: string) => Promise<boolean>) => {
    for (const item of items) {
      try {
        if (await remove(item)) cleaned++;
      } catch (err) {
        warn(err);
      }
    }
  };
  const locks = new HostLocks(join(opts.coiDir, 'locks'));
  await each(plan.locks, async (name) => {
    const unlocked = await locks.release(name);
    opts.say(`Released the locks of ${name} (${unlocked} host path(s))`);
    return true;
  });
  if (plan.firewall.length > 0) {
    try {
      const removed = await removeFirewallOrphans(incus, plan.firewall);
      for (const ip of removed) opts.say(`Removed the firewall rules of ${ip}`);
      cleaned += removed.length;
    } catch (err) {
      warn(err);
    }
  }
  await each(plan.veths, async (veth) => {
    const deleted = await deleteVeth(veth);
    if (deleted) opts.say(`Removed orphaned veth ${veth}`);
    return deleted;
  });
  return cleaned;
}

/**
 * Deletes containers as a kill would (no session save: these are leftovers), releasing their
 * rules and locks. A failure is reported and the rest still go. Returns how many were deleted.
 */
export async function deleteContainers(
  incus: IncusApi,
  names: string[],
  opts: ApplyOptions,
): Promise<number> {
  let deleted = 0;
  for (const name of names) {
    opts.say(`Deleting container ${name}...`);
    try {
      await endSession(incus, name, { coiDir: opts.coiDir, save: false, keepPersistent: false });
      deleted++;
    } catch (err) {
      opts.say(`Warning: failed to delete ${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return deleted;
}
