import { parseContainerName } from '../../shared/naming.js';
import { IncusAlreadyFrozenError, IncusNotFoundError, type IncusApi } from '../../incus/index.js';
import type { Alert } from '../alert.js';
import type { AuditWriter } from '../audit/writer.js';
import type { AuditRecord } from '../audit/record.js';
import { freezeCgroup } from './freeze-cgroup.js';
import {
  AlertFolder,
  decideAction,
  forensicCopyName,
  parseForensicCopyName,
  planForensicPrune,
  type ResponseAction,
  type ResponsePolicy,
} from './policy.js';
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
  forensicsOnKill: boolean;
  /** Removes the container's network rules before it is deleted (NetworkGuard.release). */
  releaseNetwork?: (container: string) => Promise<void>;
  /** Called after the record is on disk: show it to the user. */
  notify?: (record: AuditRecord) => void;
  /** Called before acting on a high or critical alert (e.g. a terminal message while one can). */
  beforeAction?: (detection: Detection, action: ResponseAction) => void;
}

/**
 * Carries out the responder policy through Incus: high → freeze (marked `user.coi.frozen_by=threat`
 * for the control room), critical → kill: freeze at once, release the network rules, force-stop,
 * keep a forensic copy (at most 3 per workspace), delete. Every alert not folded into an earlier
 * one is appended to the audit log, on disk before it is reported. Alerts of one container are
 * handled one after the other, so a critical right after a high still kills.
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

  private async respond(detection: Detection): Promise<AuditRecord | undefined> {
    const { container, alert } = detection;
    if (this.killed.has(container)) return undefined;
    const decided = decideAction(alert.level, this.opts.policy, {
      paused: this.paused.has(container),
    });
    if (decided === 'paused' || decided === 'killed') this.opts.beforeAction?.(detection, decided);
    let action = decided;
    let failure = '';
    try {
      if (decided === 'paused') await this.freeze(container);
      if (decided === 'killed') action = await this.kill(container);
    } catch (err) {
      action = decided === 'killed' && this.paused.has(container) ? 'paused' : 'alerted';
      failure = ` (${decided === 'killed' ? 'kill' : 'freeze'} failed: ${(err as Error).message})`;
    }
    const record = await this.opts.audit.append({
      container,
      workspace: detection.workspace,
      level: alert.level,
      category: alert.category,
      title: alert.title,
      description: alert.description + failure,
      evidence: alert.evidence,
      action,
      detection_latency_ms: Math.round(detection.latencyMs),
    });
    this.opts.notify?.(record);
    return record;
  }

  private async freeze(container: string): Promise<void> {
    await this.stopProcesses(container);
    await this.markThreat(container);
  }

  /** Marks the container as the responder's: the control room shows it, nothing is written back. */
  private async markThreat(container: string): Promise<void> {
    await this.opts.incus.instances.patch(container, {
      config: coiKeysConfig({ frozenBy: 'threat' }),
    });
  }

  /** Freezes the container; one that is frozen already is fine. */
  private async stopProcesses(container: string): Promise<void> {
    freezeCgroup(container);
    try {
      await (await this.opts.incus.instances.freeze(container)).wait();
    } catch (err) {
      if (!(err instanceof IncusAlreadyFrozenError)) throw err;
    }
    this.paused.add(container);
  }

  /** Returns `killed`, or `paused` when the container was contained but could not be deleted. */
  private async kill(container: string): Promise<ResponseAction> {
    this.killed.add(container);
    const { instances } = this.opts.incus;
    try {
      await this.stopProcesses(container).catch(() => undefined);
      // Whoever ends its session meanwhile (the attached `coi shell`) must not trust what is in it.
      await this.markThreat(container).catch(() => undefined);
      await this.opts.releaseNetwork?.(container);
      await (await instances.stop(container, { force: true })).wait();
      if (this.opts.forensicsOnKill) await this.keepForensicCopy(container);
      await (await instances.delete(container)).wait();
      return 'killed';
    } catch (err) {
      if (err instanceof IncusNotFoundError) return 'killed';
      this.killed.delete(container);
      throw err;
    }
  }

  private async keepForensicCopy(container: string): Promise<void> {
    const parsed = parseContainerName(container, this.opts.prefix);
    if (!parsed) return;
    const { instances } = this.opts.incus;
    const copies = (await instances.names()).flatMap((name) => {
      const copy = parseForensicCopyName(name, this.opts.prefix);
      return copy ? [{ name, workspace: copy.hash, createdAtMs: copy.createdAtMs }] : [];
    });
    for (const name of planForensicPrune(copies, parsed.hash)) await this.deleteCopy(name);
    const name = forensicCopyName(this.opts.prefix, parsed, Date.now());
    await (
      await instances.copy({
        name,
        source: container,
        instanceOnly: true,
        description: `coi forensic copy of ${container}`,
      })
    ).wait();
  }

  /** Deletes an old forensic copy; one started by hand (to inspect it) is force-stopped first. */
  private async deleteCopy(name: string): Promise<void> {
    const { instances } = this.opts.incus;
    const { value } = await instances.get(name);
    if (value.status !== 'Stopped') await (await instances.stop(name, { force: true })).wait();
    await (await instances.delete(name)).wait();
  }
}
