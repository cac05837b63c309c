import { TITLES, type Alert } from '../alert.js';
import type { Detection } from '../response/responder.js';
import type { KmsgNetworkEvent } from '../sources/kmsg.js';
import { uptimeMs } from '../sources/proc-read.js';
import type { WatchedContainer } from './container-watch.js';

export interface KernelLogRouterOptions {
  /** The watched container holding `ip`. */
  containerOf(ip: string): WatchedContainer | undefined;
  /** Looks up the addresses watched containers did not have yet. */
  refreshAddresses(): Promise<void>;
  /** Open mode: reaching private networks is the user's choice there, not a threat. */
  openMode(name: string): boolean;
  detect(detection: Detection): void;
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
    const downgraded = this.opts.openMode(container.name) && alert.title === TITLES.privateNetwork;
    const now = (this.opts.uptimeMs ?? uptimeMs)();
    this.opts.detect({
      container: container.name,
      workspace: container.workspace,
      alert: downgraded ? { ...alert, level: 'info' } : alert,
      latencyMs: Math.max(0, now - e.record.usec / 1000),
    });
    return true;
  }
}
