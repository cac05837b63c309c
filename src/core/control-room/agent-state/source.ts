import { readCpuSeconds } from '../../../security/sources/proc-read.js';
import { codeHome } from '../../../shared/instance-keys.js';
import { deriveAgentState } from './derive.js';
import type { HookFileReader } from './hook-file.js';
import { findPane, HOST_ROOTS, stillSame, type Pane, type ProcRoots } from './pane-processes.js';
import {
  AGENT_STATE_FILE,
  parseHookReport,
  type AgentState,
  type AgentStateSink,
} from './state.js';

export interface WatchedSlot {
  name: string;
  codeUser: string;
}

export interface AgentStateSourceOptions {
  /** The running slots now; the others have no agent state. */
  slots: () => readonly WatchedSlot[];
  /** Reads the state file (HookFileReader.throughProc: the host's /proc, else the file API). */
  reader: HookFileReader;
  intervalMs?: number;
  roots?: ProcRoots;
  now?: () => number;
}

/** CPU between two samples that counts as working: above what a waiting TUI spends on timers. */
const ACTIVE_CPU_SECONDS = 0.03;
/** A slot without a pane is looked for again after this long (a cgroup walk, not a few reads). */
const RESCAN_MS = 5000;
/** Rationed reads (file API) still look this often, for a hook whose CPU the samples missed. */
const REFRESH_MS = 10_000;

interface Tracked {
  pane?: Pane;
  nextScanAt: number;
  cpuSeconds?: number;
  activeAt?: number;
  /**
   * Rationed reads of the state file still due: hooks are the agent's children, so the file can
   * only have changed when the agent used CPU; read on that tick and the next (a hook may finish
   * after it), and every REFRESH_MS regardless.
   */
  readsDue: number;
  refreshAt: number;
  hookText?: string;
  hook?: { state: AgentState; since: number };
}

/**
 * The agent state of every running slot, polled once per interval: per slot a few reads of the
 * host's /proc (the pane's processes and the agent's CPU time) and one read of the state file its
 * hooks write — through /proc where the host may look, else with the Incus file API, and then
 * only after the agent used CPU. The sink hears of a batch only when a slot's state changed.
 */
export class AgentStateSource {
  private readonly tracked = new Map<string, Tracked>();
  private readonly roots: ProcRoots;
  private last: Record<string, AgentState> = {};
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly sink: AgentStateSink,
    private readonly opts: AgentStateSourceOptions,
  ) {
    this.roots = opts.roots ?? HOST_ROOTS;
  }

  start(): void {
    const loop = () =>
      void this.tick()
        // A tick that failed (a slot gone mid-read) leaves the states shown; the next one retries.
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.opts.intervalMs ?? 1000);
        });
    loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async tick(): Promise<void> {
    const now = (this.opts.now ?? Date.now)();
    const batch: Record<string, AgentState> = {};
    const present = new Set<string>();
    for (const slot of this.opts.slots()) {
      present.add(slot.name);
      const t = this.tracked.get(slot.name) ?? { nextScanAt: 0, readsDue: 0, refreshAt: 0 };
      this.tracked.set(slot.name, t);
      this.observe(slot.name, t, now);
      if (t.pane?.kind === 'agent' && this.readDue(t, now))
        await this.readHook(slot, t.pane.agentPid, t, now);
      const state = deriveAgentState({
        pane: t.pane?.kind,
        ...(t.hook ? { hook: t.hook } : {}),
        ...(t.activeAt !== undefined ? { activeAt: t.activeAt } : {}),
        now,
      });
      if (state) batch[slot.name] = state;
    }
    for (const name of this.tracked.keys()) if (!present.has(name)) this.tracked.delete(name);
    if (!sameStates(batch, this.last)) {
      this.last = batch;
      this.sink.setAgentStates(batch);
    }
  }

  /** Finds (or re-checks) the pane, then samples the agent's CPU time. */
  private observe(name: string, t: Tracked, now: number): void {
    if (t.pane && !stillSame(t.pane, this.roots)) t.pane = undefined;
    if (!t.pane && now >= t.nextScanAt) {
      t.pane = findPane(name, this.roots);
      t.nextScanAt = t.pane ? 0 : now + RESCAN_MS;
      t.cpuSeconds = undefined;
      // A new agent: what its hooks wrote is read once even before it uses CPU.
      if (t.pane?.kind === 'agent') t.readsDue = 1;
    }
    if (t.pane?.kind !== 'agent') return;
    const cpu = readCpuSeconds(t.pane.agentPid, this.roots.proc);
    if (cpu === undefined) return;
    if (t.cpuSeconds !== undefined && cpu > t.cpuSeconds) {
      t.readsDue = 2;
      if (cpu - t.cpuSeconds >= ACTIVE_CPU_SECONDS) t.activeAt = now;
    }
    t.cpuSeconds = cpu;
  }

  private readDue(t: Tracked, now: number): boolean {
    if (!this.opts.reader.cheap && t.readsDue === 0 && now < t.refreshAt) return false;
    t.readsDue = Math.max(0, t.readsDue - 1);
    t.refreshAt = now + REFRESH_MS;
    return true;
  }

  private async readHook(slot: WatchedSlot, pid: number, t: Tracked, now: number): Promise<void> {
    const path = `${codeHome(slot.codeUser)}/${AGENT_STATE_FILE}`;
    const text = await this.opts.reader.read({ container: slot.name, pid, path });
    if (text === undefined || text === t.hookText) return;
    t.hookText = text;
    const report = parseHookReport(text);
    if (report) t.hook = { state: report.state, since: report.at ?? now };
  }
}

function sameStates(a: Record<string, AgentState>, b: Record<string, AgentState>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
