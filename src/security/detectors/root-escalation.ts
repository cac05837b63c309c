import { TITLES, type Alert } from '../alert.js';
import { isSystemProgram } from './system-program.js';

/**
 * "Process privilege escalation to root detected" (high): a process running as root (effective
 * uid 0 inside the container) whose nearest non-root ancestor is the code user, with no program
 * on the way that is the system's normal way up (sudo, su, the setuid helpers of a base system).
 * A setuid binary planted by an exploit, or a kernel exploit's `setuid(0)` followed by an exec,
 * looks like this; `sudo make install` does not. Processes root started itself (services,
 * `incus exec` as root) have no code-user ancestor and are not judged.
 */

export interface ChainLink {
  pid: number;
  /** Container uids (see containerUid). */
  uid: number;
  euid: number;
  exe: string;
  command: string;
}

const ELEVATORS = new Set([
  'sudo',
  'sudoedit',
  'su',
  'doas',
  'pkexec',
  'runuser',
  'passwd',
  'chsh',
  'chfn',
  'newgrp',
  'sg',
  'gpasswd',
  'mount',
  'umount',
  'fusermount',
  'fusermount3',
  'newuidmap',
  'newgidmap',
  'unix_chkpwd',
  'ssh-keysign',
  'dbus-daemon-launch-helper',
  'polkit-agent-helper-1',
]);

/** A system program that raises privileges by design: one of ELEVATORS in a system directory. */
export function isElevator(exe: string): boolean {
  return isSystemProgram(exe, ELEVATORS);
}

/** `chain[0]` is the process, then its ancestors inside the container, nearest first. */
export function classifyRootEscalation(
  chain: readonly ChainLink[],
  codeUid: number,
): Alert | undefined {
  const process = chain[0];
  if (!process || process.euid !== 0) return undefined;
  for (const link of chain) {
    if (link.euid === 0 && isElevator(link.exe)) return undefined;
    if (link.euid === 0 && link.uid === 0) continue;
    // The nearest link not fully root: whoever it runs for (its real uid) asked for root.
    if (link.uid !== codeUid) return undefined;
    return {
      level: 'high',
      category: 'process',
      title: TITLES.rootEscalation,
      description:
        `${process.command || process.exe} (pid ${process.pid}) runs as root, started by the ` +
        `code user without sudo or su`,
      evidence: {
        process: {
          pid: process.pid,
          command: process.command,
          pattern: 'uid-to-root',
          indicators: chain.map((l) => `${l.pid}:${l.uid}/${l.euid}:${l.exe}`),
        },
      },
    };
  }
  return undefined;
}
