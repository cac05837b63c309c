import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncusApi } from '../../../incus/index.js';
import { CommandError, run } from '../../../shared/run.js';
import { LaunchError } from './launch-error.js';

/**
 * The `owner-to-code` mapping (see workspace-mapping.ts): coi idmaps the workspace on the host
 * and the container's workspace device binds that mount. coi makes it before each start of the
 * container and leaves it while the container exists, since Incus starts the stopped container
 * on other paths too (saving a session). Ending the session removes it with the container; the
 * mounts of containers deleted otherwise go at the next launch that needs one. After a host
 * reboot the directory is empty, and a start other
 * than coi's fails (the protected paths have nothing to mount on): never the workspace unmapped.
 */

/**
 * Where coi mounts the workspaces it idmaps: on the host's tmpfs, as their mounts do not outlive a
 * reboot, and outside ~/.coi, where an `rm -rf` would reach into the workspaces through them.
 */
export const IDMAPPED_DIR = '/run/coi/idmapped';

/** The mountpoint of a container's idmapped workspace. */
export function idmappedMountpoint(container: string, dir = IDMAPPED_DIR): string {
  return join(dir, container);
}

/**
 * The mountpoint of a linked worktree's repository git directory, idmapped alike (its devices
 * are repointed there as the workspace's are); container names have no dot.
 */
export function gitdirMountpoint(mountpoint: string): string {
  return `${mountpoint}.git`;
}

/** Incus wants a disk's source to exist when the device is created: an empty directory. */
export async function makeMountpoint(mountpoint: string): Promise<void> {
  await mkdir(mountpoint, { recursive: true, mode: 0o700 });
}

/** How old the mountpoint of a container that does not exist must be to go (not one being made). */
const PRUNE_AFTER_MS = 10 * 60_000;

/** Detaches and removes the mountpoints of containers that are gone. */
export async function pruneMountpoints(
  live: ReadonlySet<string>,
  dir = IDMAPPED_DIR,
): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  for (const name of entries.filter((n) => !live.has(n.replace(/\.git$/, '')))) {
    const path = join(dir, name);
    const old = await stat(path).then(
      (st) => Date.now() - st.mtimeMs > PRUNE_AFTER_MS,
      () => false,
    );
    if (old) await removeMountpoint(path);
  }
}

interface IdmapEntry {
  Isuid: boolean;
  Isgid: boolean;
  Hostid: number;
  Nsid: number;
  Maprange: number;
}

/**
 * The host id a container id runs as, from the container's `volatile.idmap.next` (the map its
 * next start uses; with `security.idmap.isolated` every container has its own).
 */
export function hostIdOf(idmapJson: string, id: number, kind: 'uid' | 'gid'): number | undefined {
  const entries = JSON.parse(idmapJson) as IdmapEntry[];
  const entry = entries.find(
    (e) => (kind === 'uid' ? e.Isuid : e.Isgid) && id >= e.Nsid && id < e.Nsid + e.Maprange,
  );
  return entry ? entry.Hostid + id - entry.Nsid : undefined;
}

export interface IdmappedWorkspace {
  workspace: string;
  mountpoint: string;
  /** A linked worktree's repository git directory, mounted at gitdirMountpoint(mountpoint). */
  gitdir?: string;
  owner: { uid: number; gid: number };
  /** The code user's uid and gid inside. */
  codeUid: number;
}

/**
 * Makes the mount the container's next start binds: the owner's uid and gid appear as the ids the
 * code user runs as on the host, which it returns. Ids other than the owner's show as nobody there.
 */
export async function mountIdmappedWorkspace(
  incus: IncusApi,
  container: string,
  ws: IdmappedWorkspace,
): Promise<{ uid: number; gid: number }> {
  const { config } = (await incus.instances.get(container)).value;
  const map = config['volatile.idmap.next'] ?? config['volatile.idmap.current'];
  const uid = map ? hostIdOf(map, ws.codeUid, 'uid') : undefined;
  const gid = map ? hostIdOf(map, ws.codeUid, 'gid') : undefined;
  if (uid === undefined || gid === undefined) {
    throw new LaunchError(
      `${container} has no id map for its code user ${ws.codeUid} (volatile.idmap.next); coi cannot map the workspace owner onto it`,
    );
  }
  const trees = [
    { source: ws.workspace, mountpoint: ws.mountpoint },
    ...(ws.gitdir ? [{ source: ws.gitdir, mountpoint: gitdirMountpoint(ws.mountpoint) }] : []),
  ];
  for (const tree of trees) {
    await detachIdmappedWorkspace(tree.mountpoint);
    await makeMountpoint(tree.mountpoint);
  }
  try {
    await withUserNamespace(
      `${ws.owner.uid} ${uid} 1\n`,
      `${ws.owner.gid} ${gid} 1\n`,
      async (ns) => {
        for (const tree of trees)
          await run('perl', ['-e', IDMAP_MOUNT, ns, tree.source, tree.mountpoint]);
      },
    );
  } catch (err) {
    throw new LaunchError(
      `could not idmap ${trees.map((t) => t.source).join(' and ')} onto the code user (needs root, util-linux unshare, perl and Linux 5.12+): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { uid, gid };
}

/** Detaches the host's mount (a running container keeps its own); the directory stays. */
export async function detachIdmappedWorkspace(mountpoint: string): Promise<void> {
  // Mounts left stacked by interrupted launches go too; umount fails once none is left.
  for (let mounted = true; mounted;) {
    mounted = await run('umount', ['--lazy', mountpoint]).then(
      () => true,
      (err: unknown) => {
        if (err instanceof CommandError) return false;
        throw err;
      },
    );
  }
}

/** Removes a container's idmapped mounts: the workspace's and any git directory's. */
export async function removeIdmappedMounts(mountpoint: string): Promise<void> {
  await removeMountpoint(mountpoint);
  await removeMountpoint(gitdirMountpoint(mountpoint));
}

/** Detaches the mount and removes its (then empty) directory. */
export async function removeMountpoint(mountpoint: string): Promise<void> {
  await detachIdmappedWorkspace(mountpoint);
  await rmdir(mountpoint).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/** Runs `body` with the path of a fresh user namespace that has exactly these maps. */
async function withUserNamespace<T>(
  uidMap: string,
  gidMap: string,
  body: (nsPath: string) => Promise<T>,
): Promise<T> {
  // The holder says "ready" once it is inside its namespace; only then are the maps its own.
  const holder = spawn('unshare', ['--user', 'sh', '-c', 'echo ready; exec sleep 60'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [exit] = await Promise.race([
      once(holder.stdout, 'data').then(() => [undefined]),
      once(holder, 'exit'),
      once(holder, 'error').then(([err]) => Promise.reject(err as Error)),
    ]);
    if (exit !== undefined) throw new Error(`unshare --user exited (${String(exit)})`);
    await writeFile(`/proc/${holder.pid}/uid_map`, uidMap);
    await writeFile(`/proc/${holder.pid}/gid_map`, gidMap);
    return await body(`/proc/${holder.pid}/ns/user`);
  } finally {
    holder.kill('SIGKILL');
  }
}

/**
 * open_tree(OPEN_TREE_CLONE) the source, mount_setattr(MOUNT_ATTR_IDMAP) it with the namespace's
 * maps, move_mount it to the target. These syscalls have the same numbers on every architecture;
 * util-linux's mount only learns X-mount.idmap in 2.39, newer than Debian 12's.
 */
const IDMAP_MOUNT = `
my ($ns, $src, $dst) = map { "$_" } @ARGV;
open(my $nsfh, '<', $ns) or die "open $ns: $!\\n";
my $tree = syscall(428, -100, $src, 0x1 | 0x80000);
die "open_tree $src: $!\\n" if $tree < 0;
my $attr = pack('QQQQ', 0x100000, 0, 0, fileno($nsfh));
my $empty = "";
syscall(442, $tree, $empty, 0x1000, $attr, length($attr)) == 0 or die "mount_setattr: $!\\n";
syscall(429, $tree, $empty, -100, $dst, 0x4) == 0 or die "move_mount $dst: $!\\n";
`;
