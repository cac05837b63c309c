import { LaunchError } from './launch/launch-error.js';

/**
 * How the workspace owner's ids become the code user's inside, so that what the agent writes is
 * the owner's on the host and the owner's files are writable inside:
 * - `shift`: Incus idmaps the mount with the container's own map, host ids appear as they are,
 *   and the code user takes the owner's uid (an ordinary login uid the image does not use).
 * - `owner-to-code`: coi idmaps the mount itself, on the host, sending exactly the owner's uid and
 *   gid onto the code user's; any owner (root, a macOS 501, a six-digit LDAP uid), any container
 *   map (`security.idmap.isolated` included). Needs host root, as every mount does.
 * - `raw-idmap`: no idmapped mounts (kernel, or `[incus] disable_shift`): the container's own map
 *   sends the owner onto the code user; Incus needs the owner's ids delegated to root in
 *   /etc/subuid and /etc/subgid.
 */
export type WorkspaceMapping =
  { kind: 'shift' } | { kind: 'owner-to-code' } | { kind: 'raw-idmap'; rawIdmap: string };

export interface MappingInput {
  workspace: string;
  owner: { uid: number; gid: number };
  /** `[incus] code_uid`: the code user's uid (and gid) in the image. */
  codeUid: number;
  /** The kernel can idmap mounts. */
  idmappedMounts: boolean;
  disableShift: boolean;
  /** coi runs as host root, so it can make mounts. */
  hostRoot: boolean;
}

/** The mapping, and the uid the code user has inside with it. */
export interface MappingDecision {
  mapping: WorkspaceMapping;
  codeUid: number;
}

/** The uids `useradd` hands out to people (Debian's UID_MIN..UID_MAX): the image uses none. */
const LOGIN_UIDS = { min: 1000, max: 60000 };

export function decideWorkspaceMapping(input: MappingInput): MappingDecision {
  const { owner, codeUid } = input;
  const root = owner.uid === 0;
  if (!input.idmappedMounts || input.disableShift) {
    // raw.idmap would make the code user host root: a sysctl or /sys write away from the host.
    if (root) throw rootWithoutIdmappedMounts(input);
    return { mapping: { kind: 'raw-idmap', rawIdmap: rawIdmap(owner, codeUid) }, codeUid };
  }
  const loginUid = owner.uid >= LOGIN_UIDS.min && owner.uid < LOGIN_UIDS.max;
  if (!loginUid && input.hostRoot) return { mapping: { kind: 'owner-to-code' }, codeUid };
  if (root) throw rootOwnedWithoutHostRoot(input.workspace);
  return { mapping: { kind: 'shift' }, codeUid: owner.uid };
}

function rawIdmap(owner: { uid: number; gid: number }, codeUid: number): string {
  return owner.uid === owner.gid
    ? `both ${owner.uid} ${codeUid}`
    : `uid ${owner.uid} ${codeUid}\ngid ${owner.gid} ${codeUid}`;
}

function rootWithoutIdmappedMounts(input: MappingInput): LaunchError {
  const why = input.disableShift
    ? '[incus] disable_shift is set'
    : 'the kernel cannot idmap mounts (Linux 5.12 or newer can)';
  return new LaunchError(
    `workspace ${input.workspace} is owned by root and ${why}; coi will not map host root into the container: ` +
      `unset disable_shift, or chown the workspace to an ordinary user`,
    'config',
  );
}

function rootOwnedWithoutHostRoot(workspace: string): LaunchError {
  return new LaunchError(
    `workspace ${workspace} is owned by root: coi maps it onto the code user with a mount it makes on the host, ` +
      `which needs root; run coi as root, or chown the workspace to your user`,
    'config',
  );
}
