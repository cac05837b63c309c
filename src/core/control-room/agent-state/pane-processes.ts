import { basename } from 'node:path';
import { readCgroupProcs } from '../../../security/sources/cgroup-procs.js';
import { PROC, readArgv, readName, readParentPid } from '../../../security/sources/proc-read.js';
import { CGROUP_ROOT } from '../../top/cgroup.js';
import { PANE_TOOL_LINE } from '../../session/tmux.js';

/**
 * The processes of a slot's tmux pane, found from the host's /proc and the container's cgroup
 * (nothing runs inside the container): the pane's shell runs the tool (`agent`), or the tool
 * exited and the shell is what is left (`shell`).
 */
export type Pane =
  { kind: 'agent'; shellPid: number; agentPid: number } | { kind: 'shell'; shellPid: number };

export interface ProcRoots {
  proc: string;
  cgroup: string;
}

export const HOST_ROOTS: ProcRoots = { proc: PROC, cgroup: CGROUP_ROOT };

const isBash = (argv: readonly string[]) => argv[0] !== undefined && basename(argv[0]) === 'bash';

/** `bash -c 'trap : INT; <tool>; exec bash -l'`, as startTmuxSession starts the pane. */
function runsTool(argv: readonly string[]): boolean {
  return isBash(argv) && argv[1] === '-c' && (argv[2] ?? '').startsWith(PANE_TOOL_LINE);
}

/** The same shell after the tool exited and it ran `exec bash -l`. */
function leftShell(argv: readonly string[]): boolean {
  return isBash(argv) && argv.length === 2 && argv[1] === '-l';
}

/** One walk of the container's cgroup: the pane, or undefined when it has none (yet). */
export function findPane(container: string, roots: ProcRoots = HOST_ROOTS): Pane | undefined {
  const pids = readCgroupProcs(container, roots.cgroup);
  const argvs = new Map(pids.map((pid) => [pid, readArgv(pid, roots.proc) ?? []]));
  const parent = (pid: number) => readParentPid(pid, roots.proc);
  for (const [shellPid, argv] of argvs) {
    if (runsTool(argv)) {
      const agentPid = pids.find((pid) => parent(pid) === shellPid);
      // Between bash's fork and the tool's exec there is no agent to watch yet.
      if (agentPid !== undefined) return { kind: 'agent', shellPid, agentPid };
    } else if (leftShell(argv) && readName(parent(shellPid), roots.proc) === 'tmux: server') {
      return { kind: 'shell', shellPid };
    }
  }
  return undefined;
}

/** A pane found before is still what it was (a few reads, where findPane walks the cgroup). */
export function stillSame(pane: Pane, roots: ProcRoots = HOST_ROOTS): boolean {
  const shell = readArgv(pane.shellPid, roots.proc) ?? [];
  if (pane.kind === 'shell') return leftShell(shell);
  return runsTool(shell) && readParentPid(pane.agentPid, roots.proc) === pane.shellPid;
}
