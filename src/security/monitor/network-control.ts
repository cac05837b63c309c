import type { CoiContainer } from '../../shared/coi-container.js';
import { toCoiContainer } from '../../shared/coi-container.js';
import { coiKeysConfig } from '../../shared/instance-keys.js';
import type { IncusApi } from '../../incus/index.js';
import type { AuditWriter } from '../audit/writer.js';
import type { AllowlistDomain } from '../nft/policy.js';
import { AllowlistEditError, allowName, blockName } from './allowlist-edit.js';
import { AllowlistRegistration, type AllowlistResolver } from './allowlist-registration.js';
import { AllowedConnectionAudit, DECISION_TITLES } from './network-audit.js';
import { NetworkTail, type NetworkDecision } from './network-tail.js';

/** What the daemon's socket answers to `allow` and `block`. */
export type AllowlistChangeReply = { ok: true; message: string } | { error: string };

export interface NetworkControlOptions {
  incus: IncusApi;
  prefix: string;
  /** The daemon's one audit writer. */
  audit: AuditWriter;
  resolver: AllowlistResolver | undefined;
}

/**
 * The network side of the monitor daemon for the control room: the allowlist containers
 * registered with coi's resolver, the tail of every container's network decisions (read over the
 * daemon socket with `network <container>`), and live changes of an allowlist container's names
 * (`allow` / `block <container> <name>`), each recorded on the container and in the audit log.
 */
export class NetworkControl {
  readonly tail = new NetworkTail();
  private readonly registration: AllowlistRegistration;
  private readonly allowedAudit: AllowedConnectionAudit;
  private readonly workspaces = new Map<string, string>();

  constructor(private readonly opts: NetworkControlOptions) {
    this.registration = new AllowlistRegistration(opts.resolver);
    this.allowedAudit = new AllowedConnectionAudit((entry) => opts.audit.append(entry));
  }

  /** Registers a running allowlist container (again, after a change) with the resolver. */
  register(coi: CoiContainer): void {
    if (!coi.pinnedIpv4 || (!coi.allowlist && !coi.anyNameProxy)) return;
    this.workspaces.set(coi.name, coi.workspace);
    this.registration.register(coi.name, coi.pinnedIpv4, coi.allowlist ?? [], {
      ...(coi.noSni ? { noSni: coi.noSni } : {}),
      ...(coi.anyNameProxy ? { anyName: coi.anyNameProxy } : {}),
    });
  }

  unregister(name: string): void {
    this.workspaces.delete(name);
    this.registration.unregister(name);
  }

  /** The container is gone: its decisions go with it. */
  forget(name: string): void {
    this.tail.forget(name);
  }

  /** One decision; an allowed proxy connection also goes to the audit log (once a minute per name). */
  record(container: string, ip: string, decision: NetworkDecision): void {
    this.tail.record(container, decision);
    if (decision.source !== 'proxy' || decision.verdict !== 'allowed') return;
    const workspace = this.workspaces.get(container) ?? '';
    void this.allowedAudit.allowed({ container, workspace, ip, decision }).catch(() => undefined);
  }

  /** The answer to a socket request it knows, or undefined for others. */
  answer(request: string): Promise<string> | undefined {
    const [verb, container = '', name = ''] = request.split(/\s+/);
    if (verb === 'network')
      return Promise.resolve(JSON.stringify({ decisions: this.tail.recent(container) }));
    if (verb === 'allow' || verb === 'block')
      return this.change(verb, container, name)
        .then(
          (message): AllowlistChangeReply => ({ ok: true, message }),
          (err: Error): AllowlistChangeReply => ({ error: err.message }),
        )
        .then((reply) => JSON.stringify(reply));
    return undefined;
  }

  /**
   * Allows or blocks `name` for a running allowlist container: its recorded allowlist
   * (`user.coi.allowlist`) is changed, the resolver and proxy take the new one at once, a blocked
   * name's learned addresses leave nft, and the audit log records the decision.
   */
  private async change(verb: 'allow' | 'block', container: string, name: string): Promise<string> {
    const coi = await this.allowlistContainer(container);
    const domains = coi.allowlist ?? [];
    let next: AllowlistDomain[];
    let removed: AllowlistDomain | undefined;
    if (verb === 'allow') next = allowName(domains, name);
    else ({ domains: next, removed } = blockName(domains, name));
    await this.opts.incus.instances.patch(container, {
      config: coiKeysConfig({ allowlist: next }),
    });
    this.register({ ...coi, allowlist: next });
    if (removed) await this.opts.resolver?.unlearn(coi.pinnedIpv4, removed.name, removed.ports);
    const fqdn = (removed?.name ?? next[next.length - 1]?.name) || name;
    const done = verb === 'allow' ? 'allowed' : 'blocked';
    await this.opts.audit.append({
      container,
      workspace: coi.workspace,
      level: 'info',
      category: 'network',
      title: verb === 'allow' ? DECISION_TITLES.nameAllowed : DECISION_TITLES.nameBlocked,
      description: `${fqdn} ${done} for ${container} from the control room; applied live and recorded in user.coi.allowlist`,
      evidence: { dns: { domain: fqdn, query: fqdn, reasons: [`${done} by the operator`] } },
      action: 'logged',
      detection_latency_ms: 0,
    });
    return `${fqdn} ${done} for ${container}`;
  }

  private async allowlistContainer(container: string): Promise<CoiContainer> {
    const coi = toCoiContainer(
      await this.opts.incus.instances.getFull(container).catch(() => {
        throw new AllowlistEditError(`no container "${container}"`);
      }),
      this.opts.prefix,
    );
    if (!coi) throw new AllowlistEditError(`${container} is not a coi container`);
    if (coi.networkMode !== 'allowlist' || !coi.allowlist)
      throw new AllowlistEditError(
        `${container} is not in allowlist mode (network.mode = "${coi.networkMode ?? 'unknown'}"); names are allowed or blocked only there`,
      );
    if (coi.status !== 'Running' || !coi.pinnedIpv4)
      throw new AllowlistEditError(`${container} is not running; start it first`);
    if (!this.opts.resolver)
      throw new AllowlistEditError(
        'this monitor daemon runs no allowlist resolver (host network unknown)',
      );
    return coi;
  }
}
