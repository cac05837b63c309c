import type { IncusApi } from '../../incus/index.js';
import type { Alert } from '../alert.js';
import type { AuditWriter } from '../audit/writer.js';
import type { AuditRecord } from '../audit/record.js';
import { cgroupFreezeSettled, cgroupFrozen, freezeCgroup } from './freeze-cgroup.js';
import { freeze, killContainer, type KillOutcome } from './kill.js';
import { AlertFolder, decideAction, type ResponseAction, type ResponsePolicy } from './policy.js';
import { coiKeysConfig } from '../../shared/instance-keys.js';

/** One detector finding about one container, as the responder receives it. */
export interface Detection {
  container: string;
  workspace: string;
  alert: Alert;
  /** From the event (process start, packet logged, file opened) to the alert. */
  latencyMs: number;
}

export interface ResponderOptions {
  incus: Pick<IncusApi, 'instances'>;
  audit: AuditWriter;
  /** The container prefix; forensic copies are named with it. */
  prefix: string;
  policy: ResponsePolicy;
  /** A container's own pause and kill switches (recorded at its launch), in place of `policy`. */
  policyOf?: (container: string) => ResponsePolicy | undefined;
  forensicsOnKill: boolean;
  /** Removes the container's network rules before it is deleted (NetworkGuard.release). */
  releaseNetwork?: (container: string) => Promise<void>;
  /** Called after the record is on disk: show it to the user. */
  notify?: (record: AuditRecord) => void;
  /** Called before acting on a high or critical alert (e.g. a terminal message while one can). */
  beforeAction?: (detection: Detection, action: ResponseAction) => void;
  /** When a pause or kill reached each containment step (bench/containment's breakdown). */
  onMark?: (container: string, mark: ResponseMark, atMs: number) => void;
}

/**
 * `acting`: the response began; `cgroup-frozen`: the container's processes were frozen by the
 * cgroup write; `incus-frozen`: Incus's freeze returned. Wall-clock ms.
 */
export type ResponseMark = 'acting' | 'cgroup-frozen' | 'incus-frozen';

/**
 * Carries out the responder policy through Incus: high → freeze (marked `user.coi.frozen_by=threat`
 * for the control room), critical → kill (see killContainer: contain, keep a forensic copy, at
 * most 3 per workspace, delete). Every alert not folded into an earlier one is appended to the
 * audit log, on disk before it is reported; a kill's record says what really happened (`killed`
 * when the container is gone, whatever failed on the way in its own fields). Alerts of one
 * container are handled one after the other, so a critical right after a high still kills.
 */
export class Responder {
  private readonly folder = new AlertFolder();
  private readonly paused = new Set<string>();
  private readonly killed = new Set<string>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Alerts folded into an earlier one, per container. */
  readonly folded = new Map<string, number>();

  constructor(private readonly opts: ResponderOptions) {}

  /** The container was frozen or resumed by someone else (from Incus events). */
  setPaused(container: string, paused: boolean): void {
    if (paused) this.paused.add(container);
    else this.paused.delete(container);
  }

  /** Forgets a deleted container (a new one may get its name). */
  forget(container: string): void {
    this.paused.delete(container);
    this.killed.delete(container);
    this.folded.delete(container);
  }

  /** Resolves with the audit record, or undefined when the alert was folded or ignored. */
  handle(detection: Detection): Promise<AuditRecord | undefined> {
    const { container, alert } = detection;
    if (this.killed.has(container)) return Promise.resolve(undefined);
    if (this.folder.fold(container, alert, Date.now()).repeat) {
      this.folded.set(container, (this.folded.get(container) ?? 0) + 1);
      return Promise.resolve(undefined);
    }
    const previous = this.queues.get(container) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.respond(detection));
    this.queues.set(container, next);
    return next;
  }

  /**
   * Appends a record of something allowed (an `info` alert) as it is: never folded, never acted
   * on — every one of them is to be in the audit log.
   */
  async record(detection: Detection): Promise<AuditRecord> {
    const record = await this.opts.audit.append(auditFields(detection, 'logged'));
    this.opts.notify?.(record);
    return record;
  }

  private async respond(detection: Detection): Promise<AuditRecord | undefined> {
    const { container, alert } = detection;
    if (this.killed.has(container)) return undefined;
    const policy = this.opts.policyOf?.(container) ?? this.opts.policy;
    const decided = decideAction(alert.level, policy, {
      paused: this.paused.has(container),
    });
    if (decided === 'paused' || decided === 'killed') {
      this.mark(container, 'acting');
      this.opts.beforeAction?.(detection, decided);
    }
    let action = decided;
    let failure = '';
    let kill: KillOutcome | undefined;
    if (decided === 'paused')
      await this.freeze(container).catch((err: Error) => {
        action = 'alerted';
        failure = ` (freeze failed: ${err.message})`;
      });
    if (decided === 'killed') {
      kill = await this.kill(container, alert.title);
      action = kill.gone ? 'killed' : kill.contained ? 'paused' : 'alerted';
      if (!kill.gone)
        failure = ` (kill failed: ${kill.errors.join('; ') || 'the container is still there'})`;
    }
    const record = await this.opts.audit.append({
      ...auditFields(detection, action),
      description: alert.description + failure,
      ...(kill?.forensicCopy === undefined ? {} : { forensic_copy: kill.forensicCopy }),
      ...(kill?.errors.length ? { response_errors: kill.errors } : {}),
    });
    this.opts.notify?.(record);
    return record;
  }

  /**
   * Finishes what a responder that died between its cgroup freeze and Incus's action left: the
   * processes are frozen while Incus says Running, so stop and delete would hang on them. A kill
   * it had marked is carried out; otherwise Incus's freeze makes the pause whole. Returns what
   * was done, or undefined when the container's cgroup is not frozen.
   */
  async finishInterrupted(
    container: string,
    threatKill: string,
  ): Promise<'killed' | 'paused' | undefined> {
    if (!cgroupFrozen(container)) return undefined;
    if (threatKill) {
      const outcome = await this.kill(container, threatKill);
      if (outcome.gone) return 'killed';
    }
    await this.freeze(container);
    return 'paused';
  }

  private mark(container: string, mark: ResponseMark): void {
    this.opts.onMark?.(container, mark, performance.timeOrigin + performance.now());
  }

  private async freeze(container: string): Promise<void> {
    if (freezeCgroup(container)) {
      this.mark(container, 'cgroup-frozen');
      await cgroupFreezeSettled(container);
    }
    await freeze(this.opts.incus, container);
    this.mark(container, 'incus-frozen');
    this.paused.add(container);
    await this.opts.incus.instances.patch(container, {
      config: coiKeysConfig({ frozenBy: 'threat' }),
    });
  }

  private async kill(container: string, reason: string): Promise<KillOutcome> {
    this.killed.add(container);
    const outcome = await killContainer(
      { ...this.opts, onMark: (mark) => this.mark(container, mark) },
      container,
      reason,
    );
    if (outcome.contained) this.paused.add(container);
    // Still there: a later alert may try again.
    if (!outcome.gone) this.killed.delete(container);
    return outcome;
  }
}

/** The audit record's fields that come from the detection itself. */
function auditFields(detection: Detection, action: AuditRecord['action']) {
  const { alert } = detection;
  return {
    container: detection.container,
    workspace: detection.workspace,
    level: alert.level,
    category: alert.category,
    title: alert.title,
    description: alert.description,
    evidence: alert.evidence,
    action,
    detection_latency_ms: Math.round(detection.latencyMs),
  };
}
