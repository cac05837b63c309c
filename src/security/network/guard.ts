import { isIpv4 } from '../../shared/ipv4.js';
import type { AllowlistDomain } from '../nft/policy.js';
import {
  parseTableListing,
  planReconcile,
  renderBase,
  renderContainer,
  renderGate,
  renderLearned,
  renderUnlearned,
  renderRemoval,
  type HostNetwork,
  type LearnedAddress,
  type NetworkPolicy,
} from '../nft/index.js';
import { ensureBridgeNetfilter } from './bridge-netfilter.js';
import { applyBatch, listCoiTable } from './nft-run.js';

export interface GuardedContainer {
  container: string;
  ip: string;
  policy: NetworkPolicy;
}

/**
 * Puts coi's nftables rules in and takes them out, one container at a time, each change one atomic
 * `nft -f -` batch. Containers are keyed by their IPv4, which must be pinned on the NIC
 * (`ipv4.address`, with `security.ipv4_filtering=true`) before `prepare`.
 *
 * Lifecycle: `prepare` after the instance is created and before it starts (it is gated: nothing
 * leaves it), `apply` to put its policy in, `release` on every exit path, `reconcile` whenever coi
 * starts and from `coi clean --orphans`.
 */
export class NetworkGuard {
  private readonly containers = new Map<string, GuardedContainer>();
  private base?: Promise<void>;

  constructor(readonly host: HostNetwork) {}

  /** The shared table and the bridge's netfilter hand-off; done once per guard, safe to repeat. */
  ensureBase(): Promise<void> {
    this.base ??= (async () => {
      await ensureBridgeNetfilter(this.host.bridge);
      await applyBatch(renderBase(this.host));
    })().catch((err: unknown) => {
      this.base = undefined;
      throw err;
    });
    return this.base;
  }

  /** Gates the container (all its traffic dropped) and remembers its policy for `apply`. */
  async prepare(container: string, ip: string, policy: NetworkPolicy): Promise<void> {
    if (!isIpv4(ip))
      throw new Error(`container ${container}: "${ip}" is not an IPv4 address to pin its rules on`);
    const other = this.containers.get(ip);
    if (other && other.container !== container)
      throw new Error(
        `container ${container}: ${ip} is already guarded for ${other.container}; ` +
          'release that one first (or run `coi clean --orphans`)',
      );
    await this.ensureBase();
    await applyBatch(renderGate(ip));
    this.containers.set(ip, { container, ip, policy });
  }

  /** Replaces the gate (or an earlier policy) with the container's policy rules. */
  async apply(ip: string, policy?: NetworkPolicy): Promise<void> {
    const entry = this.containers.get(ip);
    if (!entry) throw new Error(`no container is prepared at ${ip}: call prepare() first`);
    const next = { ...entry, policy: policy ?? entry.policy };
    await applyBatch(renderContainer(ip, next.policy, this.host));
    this.containers.set(ip, next);
  }

  /**
   * Removes everything of a container, given by its IPv4 or (if this guard prepared it) its name;
   * safe when nothing, or only part, is there. Another process releases by the address pinned on
   * the instance's NIC (`pinnedAddresses`).
   */
  async release(target: string): Promise<void> {
    const ip = isIpv4(target)
      ? target
      : [...this.containers.values()].find((c) => c.container === target)?.ip;
    if (!ip)
      throw new Error(
        `container ${target} was not prepared by this guard; release it by its pinned IPv4 address`,
      );
    await applyBatch(renderRemoval(ip));
    this.containers.delete(ip);
  }

  /**
   * Removes the rules and sets of every container whose address is not among `liveIps()` (all
   * IPv4 addresses of existing instances, see `instanceAddresses`). Returns the addresses removed.
   * The live addresses are read after the table: a launch running meanwhile creates its instance
   * before its rules, so rules in the listing have their instance in the later read.
   */
  async reconcile(liveIps: () => Promise<Iterable<string>>): Promise<string[]> {
    const listing = await listCoiTable();
    if (listing === undefined) return [];
    const plan = planReconcile(parseTableListing(listing), await liveIps());
    await applyBatch(plan.batch);
    for (const ip of plan.stale) this.containers.delete(ip);
    return plan.stale;
  }

  /** Lets the container at `ip` reach the answered addresses for `timeoutSec` (coi's resolver). */
  async learn(ip: string, learned: LearnedAddress[], timeoutSec: number): Promise<void> {
    if (learned.length === 0) return;
    await applyBatch(renderLearned(ip, learned, timeoutSec));
  }

  /** Takes learned addresses of the container at `ip` out before their timeout. */
  async unlearn(ip: string, learned: LearnedAddress[]): Promise<void> {
    if (learned.length === 0) return;
    await applyBatch(renderUnlearned(ip, learned));
  }

  lookup(ip: string): GuardedContainer | undefined {
    return this.containers.get(ip);
  }

  /** What coi's DNS resolver needs for a source address: set for allowlist containers only. */
  resolverPolicy(ip: string): { container: string; domains: AllowlistDomain[] } | undefined {
    const entry = this.containers.get(ip);
    if (entry?.policy.mode !== 'allowlist') return undefined;
    return { container: entry.container, domains: entry.policy.allowlist.domains };
  }

  /** The container name for a source address, for attributing kernel log lines. */
  containerOf(ip: string): string | undefined {
    return this.containers.get(ip)?.container;
  }
}
