import type { AuditEntry } from '../audit/writer.js';
import type { NetworkDecision } from './network-tail.js';

/** Titles of the audit records of network decisions: kept out of the control room's alert queue. */
export const DECISION_TITLES = {
  proxyAllowed: 'Connection allowed by the egress proxy',
  nameAllowed: 'Name allowed for the container by the operator',
  nameBlocked: 'Name blocked for the container by the operator',
} as const;

const DECISION_TITLE_SET: ReadonlySet<string> = new Set(Object.values(DECISION_TITLES));

/** A record of a decision (not an alert): the alert queue leaves it out. */
export function isDecisionRecord(title: string): boolean {
  return DECISION_TITLE_SET.has(title);
}

/** One allowed name is written at most once per container in this window. */
export const ALLOWED_AUDIT_WINDOW_MS = 60_000;

export interface AllowedAudit {
  container: string;
  workspace: string;
  /** The container's address. */
  ip: string;
  decision: NetworkDecision;
}

/**
 * Writes the egress proxy's allowed connections to the audit log, once per name per container
 * per minute, so the log grows with the names used, not with the requests.
 */
export class AllowedConnectionAudit {
  /** container + name → when it was last written. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly append: (entry: AuditEntry) => Promise<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves once written, or at once when the name was written within the window. */
  async allowed({ container, workspace, ip, decision }: AllowedAudit): Promise<void> {
    const now = this.now();
    this.prune(now);
    const key = `${container}\n${decision.name}`;
    if (this.written.has(key)) return;
    this.written.set(key, now);
    await this.append({
      container,
      workspace,
      level: 'info',
      category: 'network',
      title: DECISION_TITLES.proxyAllowed,
      description:
        `Container ${container} connected to ${decision.address}:${decision.port ?? ''} as ` +
        `"${decision.name || '(no name)'}"; the egress proxy let it through (${decision.reason}). ` +
        'Further connections for this name within a minute are not recorded.',
      evidence: {
        network: {
          container_ip: ip,
          protocol: 'tcp',
          src_ip: ip,
          dst_ip: decision.address,
          ...(decision.port === undefined ? {} : { dst_port: decision.port }),
          reason: decision.reason,
        },
      },
      action: 'logged',
      detection_latency_ms: 0,
    });
  }

  private prune(now: number): void {
    // Insertion order is write order: the expired entries are the first ones.
    for (const [key, at] of this.written) {
      if (now - at < ALLOWED_AUDIT_WINDOW_MS) return;
      this.written.delete(key);
    }
  }
}
