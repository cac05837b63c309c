import { homedir } from 'node:os';
import { join } from 'node:path';
import type { IncusApi } from '../../incus/interfaces.js';
import type { CoiContainer } from '../../shared/coi-container.js';
import { profileTargets } from '../../shared/profile-devices.js';
import { listProfiles, loadConfig } from '../config/index.js';
import { instanceVeths, listVeths, orphanedVeths } from '../host/veths.js';
import { HostLocks } from '../session/host-locks.js';
import { firewallOrphans } from '../session/network.js';
import { SavedSessions } from '../session/saved-sessions.js';
import {
  staleLocks,
  unreferencedPools,
  type CleanPlan,
  type CleanScope,
  type PoolContainers,
} from './plan.js';

export interface GatherOptions {
  coiDir: string;
  /** The workspace whose config and profiles say which storage pools are in use. */
  workspace: string;
  home?: string;
}

/**
 * Reads what there is to clean, changing nothing. `containers` are the coi containers of this
 * prefix. A source that cannot be read (nft or ip missing, a broken profile) becomes a warning and
 * contributes nothing, so the rest can still be cleaned.
 */
export async function gatherClean(
  incus: Pick<IncusApi, 'instances' | 'profiles'>,
  containers: CoiContainer[],
  scope: CleanScope,
  opts: GatherOptions,
): Promise<CleanPlan> {
  const warnings: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>, none: T): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      warnings.push(`${what} not checked: ${(err as Error).message.split('\n')[0]}`);
      return none;
    }
  };
  const instances = await incus.instances.listFull();
  const stopped = scope.stopped
    ? containers.filter((c) => c.status === 'Stopped').map((c) => c.name)
    : [];
  const sessions = scope.sessions
    ? (await new SavedSessions(opts.coiDir).list()).map((s) => s.session_id)
    : [];
  const locks = staleLocks(
    await new HostLocks(join(opts.coiDir, 'locks')).containers(),
    new Set(instances.map((i) => i.name)),
  );
  const firewall = await attempt('firewall leftovers', () => firewallOrphans(incus), []);
  const veths = await attempt(
    'veths',
    async () => orphanedVeths(await listVeths(), instanceVeths(instances)),
    [],
  );
  const pools = scope.pools
    ? await attempt(
        'storage pools',
        () => poolLeftovers(incus, containers, new Set(stopped), opts),
        [] as PoolContainers[],
      )
    : [];
  return { stopped, sessions, locks, firewall, veths, pools, warnings };
}

async function poolLeftovers(
  incus: Pick<IncusApi, 'profiles'>,
  containers: CoiContainer[],
  stopped: ReadonlySet<string>,
  opts: GatherOptions,
): Promise<PoolContainers[]> {
  const defaultPool = profileTargets((await incus.profiles.get('default')).devices).pool;
  return unreferencedPools(containers, referencedPools(opts), defaultPool, stopped);
}

/**
 * The `storage_pool` of the workspace's config and of every profile it can see (a profile that
 * sets none inherits the config's). A profile that does not load makes the answer unknown: it
 * throws, naming the profile, rather than guess and delete containers it may still use.
 */
export function referencedPools(opts: Pick<GatherOptions, 'workspace' | 'home'>): Set<string> {
  const base = { cwd: opts.workspace, ...(opts.home ? { home: opts.home } : {}) };
  const pools = new Set([loadConfig(base).config.container.storage_pool]);
  const home = opts.home ?? homedir();
  for (const profile of listProfiles({ home, workspace: opts.workspace })) {
    try {
      pools.add(loadConfig({ ...base, profile: profile.name }).config.container.storage_pool);
    } catch (err) {
      throw new Error(
        `profile ${profile.name} does not load, so the pool it uses is unknown (${(err as Error).message.split('\n')[0]})`,
      );
    }
  }
  return pools;
}
