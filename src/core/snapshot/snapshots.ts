import type { IncusApi } from '../../incus/index.js';
import { IncusNotFoundError } from '../../incus/errors.js';
import type { InstanceSnapshot } from '../../incus/instance-types.js';
import { CoiError } from '../../shared/errors.js';

/** A snapshot as `coi snapshot list/info` report it. */
export interface SnapshotInfo {
  container: string;
  name: string;
  created_at: string;
  stateful: boolean;
  /** Bytes; -1 when the pool cannot tell. */
  size: number;
  expires_at: string | null;
}

export class SnapshotError extends CoiError {}

const NEVER = '0001-01-01T00:00:00Z';
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** What creating a snapshot uses of Incus. */
export interface SnapshotCreateIncus {
  snapshots: Pick<IncusApi['snapshots'], 'names' | 'create' | 'get'>;
}

/**
 * `snap-YYYYMMDD-HHMMSS` in the host's local time, as the Go coi names them. `coi snapshot create`
 * and the control room both name through here.
 */
export function autoSnapshotName(now: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}`;
  return `snap-${date}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

export function checkSnapshotName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new SnapshotError(
      `snapshot name ${JSON.stringify(name)} is not valid: use letters, digits, ".", "_" and "-" (at most 63, not starting with a symbol)`,
    );
  }
}

function toInfo(container: string, s: InstanceSnapshot): SnapshotInfo {
  return {
    container,
    name: s.name,
    created_at: s.created_at,
    stateful: s.stateful,
    size: s.size,
    expires_at: !s.expires_at || s.expires_at.startsWith(NEVER.slice(0, 4)) ? null : s.expires_at,
  };
}

/** Refuses a name the container already has a snapshot of. */
export async function createSnapshot(
  incus: SnapshotCreateIncus,
  container: string,
  opts: { name?: string; stateful?: boolean } = {},
): Promise<SnapshotInfo> {
  const name = opts.name ?? autoSnapshotName();
  checkSnapshotName(name);
  if ((await incus.snapshots.names(container)).includes(name)) {
    throw new SnapshotError(`${container} already has a snapshot named "${name}"`);
  }
  await (await incus.snapshots.create(container, { name, stateful: opts.stateful })).wait();
  return toInfo(container, await incus.snapshots.get(container, name));
}

/** Oldest first. */
export async function listSnapshots(incus: IncusApi, container: string): Promise<SnapshotInfo[]> {
  return (await incus.snapshots.list(container))
    .map((s) => toInfo(container, s))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

export async function snapshotInfo(
  incus: IncusApi,
  container: string,
  name: string,
): Promise<SnapshotInfo & { config: Record<string, string> }> {
  try {
    const s = await incus.snapshots.get(container, name);
    return { ...toInfo(container, s), config: userConfig(s.config) };
  } catch (err) {
    if (err instanceof IncusNotFoundError) throw missing(container, name);
    throw err;
  }
}

/** The restore refuses a running container: the agent's work would be lost without warning. */
export async function restoreSnapshot(
  incus: IncusApi,
  container: string,
  name: string,
  opts: { stateful?: boolean } = {},
): Promise<void> {
  const snap = await snapshotInfo(incus, container, name);
  const { value } = await incus.instances.get(container);
  if (value.status !== 'Stopped') {
    throw new SnapshotError(
      `${container} is ${value.status.toLowerCase()}: stop it first (\`coi container stop ${container}\`), then restore "${name}"`,
    );
  }
  if (opts.stateful && !snap.stateful) {
    throw new SnapshotError(
      `snapshot "${name}" holds no process state; restore without --stateful`,
    );
  }
  await (await incus.snapshots.restore(container, name)).wait({ timeoutMs: 300_000 });
}

export async function deleteSnapshot(
  incus: IncusApi,
  container: string,
  name: string,
): Promise<void> {
  try {
    await (await incus.snapshots.delete(container, name)).wait({ timeoutMs: 300_000 });
  } catch (err) {
    if (err instanceof IncusNotFoundError) throw missing(container, name);
    throw err;
  }
}

function missing(container: string, name: string): SnapshotError {
  return new SnapshotError(
    `${container} has no snapshot "${name}" (\`coi snapshot list -c ${container}\` shows them)`,
  );
}

function userConfig(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith('user.')));
}
