import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Incus } from '../src/incus/index.js';
import type { AuditRecord } from '../src/security/audit/record.js';
import { readAudit } from '../src/security/audit/tail.js';
import type { MonitorDaemon } from '../src/security/monitor/daemon.js';
import type { ResponseMark } from '../src/security/response/responder.js';
import {
  ATTACK_CORPUS,
  type AttackClass,
  type AttackRow,
  type Target,
} from '../test/integration/security/attack-corpus-table.js';
import { fireRow, prepareRow } from '../test/helpers/attack-runner.js';

/**
 * Per attack class of the corpus: how many trials were contained (killed or paused; alerted for
 * the warning-only classes) and how long it took, from the attack's first action (the attacking
 * process writes `date +%s%N` to a host directory mounted in the container, then execs the
 * attack) to the first Incus lifecycle event saying the container is frozen or stopped (the
 * audit record's time for classes that only alert). Both clocks are the host's. Trials of a class
 * cycle through its rows, so every interpreter counts; a row with a known gap counts as missed.
 * Beside it, the time to the responder's cgroup write (the processes stop there; Incus's event
 * comes after its own freeze) and where the time went: stamp → the event the detector saw (the
 * exec, the logged packet, the file opened), → the alert acted on, → cgroup frozen, → Incus's
 * freeze returned, → its lifecycle event.
 */

export interface ClassResult {
  cls: AttackClass;
  trials: number;
  contained: number;
  /** ms from the stamp to containment (or the record), per contained trial. */
  latencies: number[];
  /** ms from the stamp to the responder's cgroup write, per contained trial that had one. */
  frozen: number[];
  /** Per step of STEPS, its ms in each contained trial that had both ends. */
  steps: Record<Step, number[]>;
  /** What the end time is: the lifecycle event, or the audit record for alert-only classes. */
  until: 'contained' | 'record';
  missedRows: string[];
}

export interface TrialBed {
  incus: Incus;
  daemon: MonitorDaemon;
  auditDir: string;
  target: Target;
  /** A guarded, watched, running container for `row` with `stampDir` mounted at STAMP_DIR. */
  launch: (name: string, row: AttackRow, stampDir: string) => Promise<void>;
  remove: (name: string) => Promise<void>;
  /** Wall-clock ms of the first freeze/stop lifecycle event of a container. */
  contained: ReadonlyMap<string, number>;
  /** Wall-clock ms of the responder's first containment marks, per container. */
  marks: ReadonlyMap<string, Partial<Record<ResponseMark, number>>>;
  nameOf: (cls: AttackClass, trial: number) => string;
  ioGraceMs: number;
  /** Skips rows the image cannot run (node without coi-default). */
  canRun: (row: AttackRow) => boolean;
}

export const STAMP_DIR = '/coi-stamp';
const BATCH = 5;
const TIMEOUT_MS = 10_000;
/** A gap row raises nothing: waiting the full timeout for each would only slow the bench. */
const GAP_TIMEOUT_MS = 4000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const STEPS = ['to event', 'to alert', 'to cgroup', 'to incus', 'to lifecycle'] as const;
export type Step = (typeof STEPS)[number];

/** The corpus's classes, or those named in `only` (COI_BENCH_CLASSES: comma-separated). */
export function corpusClasses(only?: string): AttackClass[] {
  const all = [...new Set(ATTACK_CORPUS.map((r) => r.class))];
  if (!only) return all;
  const wanted = only.split(',').map((c) => c.trim());
  const unknown = wanted.filter((c) => !all.includes(c as AttackClass));
  if (unknown.length)
    throw new Error(
      `COI_BENCH_CLASSES: no class ${unknown.join(', ')} (classes: ${all.join(', ')})`,
    );
  return all.filter((c) => wanted.includes(c));
}

export async function runClass(
  bed: TrialBed,
  cls: AttackClass,
  trials: number,
): Promise<ClassResult> {
  const rows = ATTACK_CORPUS.filter((r) => r.class === cls && bed.canRun(r));
  const until = rows[0]?.action === 'alerted' ? 'record' : 'contained';
  const result: ClassResult = {
    cls,
    trials: 0,
    contained: 0,
    latencies: [],
    frozen: [],
    steps: Object.fromEntries(STEPS.map((step) => [step, []])) as unknown as Record<Step, number[]>,
    until,
    missedRows: [],
  };
  for (let batch = 0; batch < trials && rows.length > 0; batch += BATCH) {
    const planned = Array.from({ length: Math.min(BATCH, trials - batch) }, (_, i) => {
      const n = batch + i;
      const stampDir = mkdtempSync(join(tmpdir(), 'coi-bench-stamp-'));
      // The container's root is an unprivileged uid on the host.
      chmodSync(stampDir, 0o777);
      return { name: bed.nameOf(cls, n), row: rows[n % rows.length]!, stampDir };
    });
    await Promise.all(
      planned.map(async (t) => {
        await bed.launch(t.name, t.row, t.stampDir);
        await prepareRow(bed.incus, bed.daemon, t.name, t.row.setup, bed.ioGraceMs);
      }),
    );
    for (const t of planned) {
      result.trials += 1;
      const timing = await trial(bed, t.name, t.row, t.stampDir, until);
      const latency = timing?.latency;
      if (timing === undefined) result.missedRows.push(t.row.name);
      else {
        result.contained += 1;
        result.latencies.push(timing.latency);
        if (timing.frozen !== undefined) result.frozen.push(timing.frozen);
        for (const step of STEPS) {
          const value = timing.steps[step];
          if (value !== undefined) result.steps[step].push(value);
        }
      }
      // The responder deletes what it kills; racing it with our own delete fights over its state.
      if (t.row.action === 'killed' && latency !== undefined)
        for (let i = 0; i < 300 && (await bed.incus.instances.exists(t.name)); i++)
          await sleep(100);
      await bed.remove(t.name);
      rmSync(t.stampDir, { recursive: true, force: true });
    }
  }
  return result;
}

async function trial(
  bed: TrialBed,
  name: string,
  row: AttackRow,
  stampDir: string,
  until: ClassResult['until'],
): Promise<{ latency: number; frozen?: number; steps: Partial<Record<Step, number>> } | undefined> {
  const matches = (r: AuditRecord) => r.category === row.category && r.title === row.title;
  const record = async () => {
    let found: AuditRecord | undefined;
    await readAudit(bed.auditDir, name, { onRecord: (r) => (found ??= matches(r) ? r : found) });
    return found;
  };
  void fireRow(bed.incus, name, row, bed.target, {
    stamp: `${STAMP_DIR}/t0`,
    seen: async () => (await record()) !== undefined,
  });
  const deadline = Date.now() + (row.gap ? GAP_TIMEOUT_MS : TIMEOUT_MS);
  let endMs: number | undefined;
  while (endMs === undefined && Date.now() < deadline) {
    await sleep(20);
    if (until === 'contained') endMs = bed.contained.get(name);
    else {
      const r = await record();
      endMs = r && Date.parse(r.timestamp);
    }
  }
  const stamp = readStamp(stampDir);
  if (endMs === undefined || stamp === undefined) return undefined;
  const marks = bed.marks.get(name) ?? {};
  // A kill's record is written once the container is deleted.
  let found = await record();
  for (let i = 0; i < 100 && found === undefined; i++) {
    await sleep(50);
    found = await record();
  }
  const latencyMs = found?.detection_latency_ms;
  // An alert-only class has no marks: its record is written as the alert comes.
  const alertAt = marks.acting ?? (found && Date.parse(found.timestamp));
  const event = alertAt === undefined || latencyMs === undefined ? undefined : alertAt - latencyMs;
  const points = [stamp, event, alertAt, marks['cgroup-frozen'], marks['incus-frozen']];
  const lifecycle = until === 'contained' ? endMs : undefined;
  const steps: Partial<Record<Step, number>> = {};
  STEPS.forEach((step, i) => {
    const from = points[i];
    const to = i + 1 < points.length ? points[i + 1] : lifecycle;
    if (from !== undefined && to !== undefined) steps[step] = to - from;
  });
  const cgroup = marks['cgroup-frozen'];
  return {
    latency: endMs - stamp,
    frozen: cgroup === undefined ? undefined : cgroup - stamp,
    steps,
  };
}

function readStamp(dir: string): number | undefined {
  try {
    const ns = readFileSync(join(dir, 't0'), 'utf8').trim();
    return /^\d+$/.test(ns) ? Number(BigInt(ns) / 1000n) / 1000 : undefined;
  } catch {
    return undefined;
  }
}
