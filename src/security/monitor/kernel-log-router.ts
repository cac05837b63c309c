import { TITLES, type Alert } from '../alert.js';
import { dropReason } from '../detectors/network.js';
import type { Detection } from '../response/responder.js';
import type { KmsgNetworkEvent } from '../sources/kmsg.js';
import { uptimeMs } from '../sources/proc-read.js';
import type { WatchedContainer } from './container-watch.js';
import type { NetworkDecision } from './network-tail.js';

export interface KernelLogRouterOptions {
  /** The watched container holding `ip`. */
  containerOf(ip: string): WatchedContainer | undefined;
  /** Looks up the addresses watched containers did not have yet. */
  refreshAddresses(): Promise<void>;
  /** Open mode: reaching private networks is the user's choice there, not a threat. */
  openMode(name: string): boolean;
  detect(detection: Detection): void;
  /** A packet one of coi's rules dropped (or, in open mode, only logged), for the network tail. */
  onDecision?(container: string, ip: string, decision: NetworkDecision): void;
  /** Milliseconds since boot, the clock of kernel-log timestamps. */
  uptimeMs?: () => number;
}

/**
 * Hands the alerts of coi's nft log lines to the watched container that sent the packet. A line
 * from an address no watched container has yet is routed once more after the addresses are
 * looked up again (the lease came after the attach).
 */
export class KernelLogRouter {
  private received = 0;

  constructor(private readonly opts: KernelLogRouterOptions) {}

  /** Lines received, each counted once. */
  get lines(): number {
    return this.received;
  }

  onEvent(e: KmsgNetworkEvent): void {
    this.received += 1;
    const alert = e.alert;
    if (!alert) return;
    if (this.route(e, alert)) return;
    void this.opts.refreshAddresses().then(() => this.route(e, alert));
  }

  /** False when no watched container holds the packet's address. */
  private route(e: KmsgNetworkEvent, alert: Alert): boolean {
    const container = this.opts.containerOf(e.event.containerIp);
    if (!container) return false;
    const open = this.opts.openMode(container.name);
    const downgraded = open && alert.title === TITLES.privateNetwork;
    this.recordDrop(container.name, e, open);
    const now = (this.opts.uptimeMs ?? uptimeMs)();
    this.opts.detect({
      container: container.name,
      workspace: container.workspace,
      alert: downgraded ? { ...alert, level: 'info' } : alert,
      latencyMs: Math.max(0, now - e.record.usec / 1000),
    });
    return true;
  }

  private recordDrop(container: string, e: KmsgNetworkEvent, openMode: boolean): void {
    const reason = dropReason(e.event.kind);
    if (reason === undefined) return;
    this.opts.onDecision?.(container, e.event.containerIp, {
      time: Date.now(),
      source: 'nft',
      verdict: openMode ? 'allowed' : 'blocked',
      name: '',
      address: e.event.dst,
      ...(e.event.dpt === undefined ? {} : { port: e.event.dpt }),
      reason: openMode ? `${reason} (open mode: logged only)` : reason,
    });
  }
}
