import { evidenceSummary, type Alert, type AlertLevel } from '../alert.js';

/**
 * The responder's decisions, without the Incus calls that carry them out: what to do about an
 * alert, which repeats to fold, and how forensic copies are named and pruned.
 */

export interface ResponsePolicy {
  /** `[monitoring] auto_pause_on_high`. */
  autoPauseOnHigh: boolean;
  /** `[monitoring] auto_kill_on_critical`. */
  autoKillOnCritical: boolean;
}

export type ResponseAction = 'logged' | 'alerted' | 'paused' | 'killed' | 'deduplicated';

/**
 * info → logged; warning → alerted; high → paused (if auto_pause_on_high); critical → killed (if
 * auto_kill_on_critical, otherwise paused when pausing is on). An already paused container is not
 * paused again: the alert is logged, which keeps a frozen container from alerting in a loop.
 */
export function decideAction(
  level: AlertLevel,
  policy: ResponsePolicy,
  state: { paused: boolean },
): ResponseAction {
  if (level === 'info') return 'logged';
  if (level === 'warning') return 'alerted';
  if (level === 'critical' && policy.autoKillOnCritical) return 'killed';
  if (!policy.autoPauseOnHigh) return 'alerted';
  return state.paused ? 'logged' : 'paused';
}

export const FOLD_WINDOW_MS = 30_000;

export type FoldResult =
  | { repeat: false }
  /** `count`: alerts folded so far including this one; `firstAtMs`: when the fold began. */
  | { repeat: true; count: number; firstAtMs: number };

/**
 * Folds repeats of one alert (same container, category, title and evidence summary) within 30 s of
 * the first into it. After the window the next one is reported afresh, so a steady flood shows up
 * at most every 30 s rather than never or endlessly.
 */
export class AlertFolder {
  private readonly folds = new Map<string, { firstAtMs: number; count: number }>();

  constructor(private readonly windowMs = FOLD_WINDOW_MS) {}

  fold(container: string, alert: Alert, nowMs: number): FoldResult {
    for (const [key, fold] of this.folds)
      if (nowMs - fold.firstAtMs >= this.windowMs) this.folds.delete(key);
    const key = [container, alert.category, alert.title, evidenceSummary(alert.evidence)].join(
      '\0',
    );
    const fold = this.folds.get(key);
    if (!fold) {
      this.folds.set(key, { firstAtMs: nowMs, count: 1 });
      return { repeat: false };
    }
    fold.count += 1;
    return { repeat: true, count: fold.count, firstAtMs: fold.firstAtMs };
  }
}

/**
 * `<prefix>forensics-<hash8>-<slot>-<unix seconds>`: it keeps the prefix (so test runs find their
 * own copies) but never matches the coi container pattern `<prefix><hash8>-<slot>`, so commands
 * and the control room do not take a forensic copy for a session.
 */
export function forensicCopyName(
  prefix: string,
  container: { hash: string; slot: number },
  nowMs: number,
): string {
  return `${prefix}forensics-${container.hash}-${container.slot}-${Math.floor(nowMs / 1000)}`;
}

/** The workspace hash, slot and time (ms) of a forensic copy's name; undefined for other names. */
export function parseForensicCopyName(
  name: string,
  prefix: string,
): { hash: string; slot: number; createdAtMs: number } | undefined {
  if (!name.startsWith(`${prefix}forensics-`)) return undefined;
  const match = /^([a-f0-9]{8})-(\d+)-(\d+)$/.exec(name.slice(prefix.length + 'forensics-'.length));
  if (!match) return undefined;
  return { hash: match[1]!, slot: Number(match[2]), createdAtMs: Number(match[3]) * 1000 };
}

export interface ForensicCopy {
  name: string;
  /** The workspace, as its hash in the name. */
  workspace: string;
  createdAtMs: number;
}

export const MAX_FORENSIC_COPIES = 3;

/**
 * The copies to delete before one more is made for `workspace`, oldest first, so that at most
 * `max` remain afterwards. Other workspaces' copies are never touched.
 */
export function planForensicPrune(
  copies: readonly ForensicCopy[],
  workspace: string,
  max = MAX_FORENSIC_COPIES,
): string[] {
  const mine = copies
    .filter((c) => c.workspace === workspace)
    .sort((a, b) => b.createdAtMs - a.createdAtMs || b.name.localeCompare(a.name));
  return mine
    .slice(Math.max(0, max - 1))
    .reverse()
    .map((c) => c.name);
}
