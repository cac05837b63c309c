import { accessSync, constants, existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultProfileTargets } from '../host/resources.js';
import { fail, ok, warn, withIncus, type HealthCheck, type HealthEnv } from './types.js';

const GiB = 2 ** 30;

/** A directory is fine when it is writable, or missing under a writable parent. */
function writableDir(path: string) {
  const probe = existingDir(path);
  try {
    accessSync(probe, constants.W_OK);
    return probe === path ? ok(`${path} is writable`) : ok(`${path} will be created`);
  } catch {
    return fail(`${probe} is not writable; coi keeps sessions and logs under ${path}`);
  }
}

/** Free-space thresholds of the pool containers land on. */
export function poolVerdict(driver: string, used: number, total: number) {
  const free = total - used;
  const percent = total > 0 ? Math.round((used / total) * 100) : 0;
  const text = `${(free / GiB).toFixed(1)} GiB free of ${(total / GiB).toFixed(1)} GiB (${percent}% used)`;
  const details = { driver, free_bytes: free, total_bytes: total, used_percent: percent };
  if (total > 0 && (free < 2 * GiB || percent > 90)) return fail(`${driver}: ${text}`, details);
  if (total > 0 && (free < 5 * GiB || percent > 80)) return warn(`${driver}: ${text}`, details);
  if (driver === 'dir')
    return warn(`dir driver (no copy-on-write: every launch unpacks the image); ${text}`, details);
  return ok(`${driver}: ${text}`, details);
}

/** The nearest existing directory at or above `path`. */
function existingDir(path: string): string {
  let probe = path;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  return probe;
}

/** Free space where coi keeps sessions, logs and build trees: agents stall on a full disk. */
export function diskVerdict(path: string, free: number, total: number) {
  const text = `${(free / GiB).toFixed(1)} GiB free of ${(total / GiB).toFixed(1)} GiB on ${path}`;
  const details = { path, free_bytes: free, total_bytes: total };
  if (free < GiB) return fail(text, details);
  if (free < 5 * GiB) return warn(`${text} (under 5 GiB)`, details);
  return ok(text, details);
}

const sessionsDir = (env: HealthEnv) =>
  'loaded' in env.config
    ? env.config.loaded.config.paths.sessions_dir
    : join(env.coiDir, 'sessions');

export const storageChecks: HealthCheck[] = [
  {
    key: 'coi_directory',
    name: 'coi directory',
    category: 'storage',
    run: (env) => writableDir(env.coiDir),
  },
  {
    key: 'sessions_directory',
    name: 'Sessions directory',
    category: 'storage',
    run: (env) => writableDir(sessionsDir(env)),
  },
  {
    key: 'disk_space',
    name: 'Disk space',
    category: 'storage',
    run: async (env) => {
      const path = existingDir(env.coiDir);
      const fs = await statfs(path);
      return diskVerdict(path, fs.bavail * fs.bsize, fs.blocks * fs.bsize);
    },
    manualFix: (r) =>
      r.status === 'ok'
        ? undefined
        : `free disk space on ${String(r.details?.path)} (old logs in ~/.coi/logs, \`coi clean --sessions\`)`,
  },
  {
    key: 'incus_storage_pools',
    name: 'Storage pool',
    category: 'storage',
    run: (env) =>
      withIncus(env, async (incus) => {
        const configured =
          'loaded' in env.config ? env.config.loaded.config.container.storage_pool : '';
        const name = configured || (await defaultProfileTargets(incus.client)).pool;
        if (!name)
          return fail('the default profile has no root disk pool; `coi health --fix` adds one');
        const pool = await incus.storagePools.find(name);
        if (!pool) return fail(`storage pool "${name}" does not exist`);
        const { space } = await incus.storagePools.resources(name);
        const verdict = poolVerdict(pool.driver, space.used, space.total);
        return { ...verdict, message: `${name} ${verdict.message}` };
      }),
    // Without details the pool is missing, which the set-up creates.
    manualFix: (r) => (r.details ? 'free space in the pool, or give it more' : undefined),
  },
];
