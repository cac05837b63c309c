import type { ChainLink } from '../detectors/root-escalation.js';
import { containerUid, readExe, readUids, type UidRange } from './proc-credentials.js';
import { PROC, readCommand, readParentPid } from './proc-read.js';

const MAX_DEPTH = 64;

/**
 * A container process and its ancestors, nearest first, in container uids. The walk stops at
 * the container's init (not included) and at the first process the container's uid map does not
 * cover (a host process: what `incus exec` runs is parented outside the container).
 */
export function readChain(
  pid: number,
  initPid: number,
  uidMap: readonly UidRange[],
  proc = PROC,
): ChainLink[] {
  const chain: ChainLink[] = [];
  for (
    let p = pid;
    p > 0 && p !== initPid && chain.length < MAX_DEPTH;
    p = readParentPid(p, proc)
  ) {
    const uids = readUids(p, proc);
    const uid = uids && containerUid(uids.real, uidMap);
    const euid = uids && containerUid(uids.effective, uidMap);
    if (uid === undefined || euid === undefined) break;
    chain.push({ pid: p, uid, euid, exe: readExe(p, proc), command: readCommand(p, proc) ?? '' });
  }
  return chain;
}
