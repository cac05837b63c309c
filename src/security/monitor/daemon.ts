import type { Server } from 'node:net';
import { ipv4Of } from '../../shared/instance-network.js';
import { parseContainerName } from '../../shared/naming.js';
import { eventInstance, isLifecycle, type Incus, type IncusEvent } from '../../incus/index.js';
import { TITLES, type Alert } from '../alert.js';
import { AuditWriter } from '../audit/writer.js';
import { pruneAuditFiles } from '../audit/retention.js';
import { Responder, type Detection } from '../response/responder.js';
import { KmsgNetworkSource, type KmsgNetworkEvent } from '../sources/kmsg.js';
import { ProcessScanner } from '../sources/processes.js';
import { uptimeMs } from '../sources/proc-read.js';
import { ContainerWatch, type WatchedContainer } from './container-watch.js';
import { tmuxNotice } from './notify.js';
import { monitorPaths } from './paths.js';
import type { MonitorSettings } from './settings.js';
import { listenSingleton } from './singleton.js';
import type { AllowlistDns } from './allowlist-dns.js';
import { toCoiContainer } from '../../shared/coi-container.js';
import { codeHome } from '../../shared/instance-keys.js';

export interface MonitorDaemonOptions {
  incus: Incus;
  coiDir: string;
  prefix: string;
  settings: MonitorSettings;
  /** Read coi's nft log lines from /dev/kmsg (`[monitoring.nft] enabled`). */
  network: boolean;
  /** coi's DNS resolver for allowlist containers; the daemon registers each one it sees. */
  allowlistDns?: AllowlistDns;
  /** Removes a container's network rules before a kill (NetworkGuard.release by its IPv4). */
  releaseNetwork?: (ip: string) => Promise<void>;
  /** Messages about the daemon itself (the log file of `coi monitor --daemon`). */
  log?: (message: string) => void;
  /** Process scan period (ms). */
  scanIntervalMs?: number;
  ioIntervalMs?: number;
  ioBootGraceMs?: number;
}

export interface MonitorStatus {
  pid: number;
  containers: string[];
  scans: number;
  scanBusyMs: number;
  kmsgLines: number;
  alerts: number;
  /** Repeats folded into an earlier alert (not acted on again, not written). */
  folded: number;
}

const RESYNC_ACTIONS = new Set(['instance-started', 'instance-restarted', 'instance-resumed']);
const GONE_ACTIONS = new Set(['instance-stopped', 'instance-shutdown', 'instance-deleted']);

/**
 * The host's one monitor process: it watches every running coi container (found through Incus
 * events, attached on start, detached on stop or delete) with one process scanner, per-container
 * canary and I/O watches and, when enabled, the kernel log of the network rules; every finding
 * goes to the responder.
 */
export class MonitorDaemon {
  readonly responder: Responder;
  private readonly watches = new Map<string, ContainerWatch>();
  private readonly attaching = new Map<string, Promise<void>>();
  /** Containers in open mode: reaching private networks there is the user's choice, not a threat. */
  private readonly openMode = new Set<string>();
  private readonly dnsIps = new Map<string, string>();
  private readonly scanner: ProcessScanner;
  private kmsg?: KmsgNetworkSource;
  private server?: Server;
  private unsubscribe?: () => void;
  private kmsgLines = 0;
  private alerts = 0;
  private readonly log: (message: string) => void;

  constructor(private readonly opts: MonitorDaemonOptions) {
    this.log = opts.log ?? (() => undefined);
    const paths = monitorPaths(opts.coiDir);
    this.responder = new Responder({
      incus: opts.incus,
      audit: new AuditWriter(paths.audit),
      prefix: opts.prefix,
      policy: opts.settings.policy,
      forensicsOnKill: opts.settings.forensicsOnKill,
      releaseNetwork: opts.releaseNetwork && (async (name) => this.releaseNetwork(name)),
      beforeAction: (d, action) =>
        tmuxNotice(
          opts.incus,
          { container: d.container, ...d.alert },
          opts.settings.codeUid,
          action,
        ),
      notify: (record) => {
        if (record.level === 'warning')
          tmuxNotice(opts.incus, record, opts.settings.codeUid, record.action);
        this.log(
          `${record.level.toUpperCase()} ${record.container}: ${record.title} → ${record.action}`,
        );
      },
    });
    this.scanner = new ProcessScanner({
      intervalMs: opts.scanIntervalMs,
      watched: (name) => this.watches.has(name),
      onCommand: (s) => this.watches.get(s.container)?.onCommand(s),
      onStdioSocket: (s, alert) => this.watches.get(s.container)?.onStdioSocket(s, alert),
    });
  }

  /**
   * Takes the per-user socket and starts watching. Resolves false (and does nothing) when another
   * daemon already runs.
   */
  async start(socket = true): Promise<boolean> {
    const paths = monitorPaths(this.opts.coiDir);
    if (socket) {
      this.server = await listenSingleton(paths.socket, (req) =>
        req === 'status' ? JSON.stringify(this.status()) : 'pong',
      );
      if (!this.server) return false;
    }
    await pruneAuditFiles(paths.audit, this.opts.settings.retentionDays).catch(() => []);
    await this.opts.incus.connect();
    this.unsubscribe = this.opts.incus.events.subscribe((event) => this.onEvent(event));
    if (this.opts.network) await this.startKmsg();
    await this.resync();
    this.scanner.start();
    return true;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.scanner.stop();
    this.kmsg?.stop();
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  status(): MonitorStatus {
    return {
      pid: process.pid,
      containers: [...this.watches.keys()].sort(),
      scans: this.scanner.stats.scans,
      scanBusyMs: Math.round(this.scanner.stats.busyMs),
      kmsgLines: this.kmsgLines,
      alerts: this.alerts,
      folded: [...this.responder.folded.values()].reduce((sum, n) => sum + n, 0),
    };
  }

  /** The watch of a container once attached (tests and the bench wait on its canaries). */
  async watchOf(name: string, timeoutMs = 10_000): Promise<ContainerWatch> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.attaching.get(name);
      const watch = this.watches.get(name);
      if (watch) return watch;
      if (Date.now() > deadline) throw new Error(`the monitor never attached to ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** An alert from a source outside the daemon (the allowlist resolver), through the responder. */
  report(container: string, alert: Alert): void {
    const workspace = this.watches.get(container)?.container.workspace;
    if (workspace === undefined) return;
    this.detect({ container, workspace, alert, latencyMs: 0 });
  }

  detect(detection: Detection): void {
    this.alerts += 1;
    this.responder
      .handle(detection)
      .catch((err: Error) =>
        this.log(`responding to ${detection.container} failed: ${err.message}`),
      );
  }

  private onEvent(event: IncusEvent): void {
    if (event.type === 'gap') {
      void this.resync();
      return;
    }
    if (!isLifecycle(event)) return;
    const name = eventInstance(event);
    const action = event.metadata.action;
    if (!name || !parseContainerName(name, this.opts.prefix)) return;
    if (action === 'instance-paused') this.responder.setPaused(name, true);
    if (action === 'instance-resumed') this.responder.setPaused(name, false);
    if (RESYNC_ACTIONS.has(action)) void this.attach(name);
    if (GONE_ACTIONS.has(action)) this.detach(name);
    if (action === 'instance-deleted') this.responder.forget(name);
  }

  /** Attaches every running coi container and detaches the rest. */
  private async resync(): Promise<void> {
    try {
      const names = (await this.opts.incus.instances.names()).filter((n) =>
        parseContainerName(n, this.opts.prefix),
      );
      for (const name of this.watches.keys()) if (!names.includes(name)) this.detach(name);
      await Promise.all(names.map((name) => this.attach(name)));
    } catch (err) {
      this.log(`listing containers failed: ${(err as Error).message}`);
    }
  }

  private attach(name: string): Promise<void> {
    const pending = this.attaching.get(name);
    if (pending) return pending;
    const work = this.attachNow(name)
      .catch((err: Error) => this.log(`cannot watch ${name}: ${err.message}`))
      .finally(() => this.attaching.delete(name));
    this.attaching.set(name, work);
    return work;
  }

  private async attachNow(name: string): Promise<void> {
    const instance = await this.opts.incus.instances.getFull(name);
    const coi = toCoiContainer(instance, this.opts.prefix);
    if (!coi) return;
    const running = coi.status === 'Running' || coi.status === 'Frozen';
    const initPid = instance.state?.pid ?? 0;
    const current = this.watches.get(name);
    if (current && (!running || current.container.initPid !== initPid)) this.detach(name);
    if (coi.pinnedIpv4 && coi.allowlist && running && this.opts.allowlistDns) {
      this.opts.allowlistDns.add(coi.pinnedIpv4, name, coi.allowlist);
      this.dnsIps.set(name, coi.pinnedIpv4);
    }
    if (!running || initPid <= 0 || this.watches.has(name)) return;
    if (!coi.monitored) return;
    if (coi.networkMode === 'open') this.openMode.add(name);
    this.responder.setPaused(name, coi.status === 'Frozen');
    const container: WatchedContainer = {
      name,
      workspace: coi.workspace,
      initPid,
      home: codeHome(coi.codeUser),
      ipv4: coi.pinnedIpv4 || coi.ipv4,
    };
    const watch = new ContainerWatch(container, {
      settings: this.opts.settings,
      processIo: () => this.scanner.ioTotal(name),
      detect: (d) => this.detect(d),
      onProblem: (message) => this.log(`${name}: ${message}`),
      ioIntervalMs: this.opts.ioIntervalMs,
      ioBootGraceMs: this.opts.ioBootGraceMs,
    });
    this.watches.set(name, watch);
    watch.start();
    this.scanner.scan();
    this.log(
      `watching ${name} (init pid ${initPid}${container.ipv4 ? `, ${container.ipv4}` : ''})`,
    );
  }

  private detach(name: string): void {
    const dnsIp = this.dnsIps.get(name);
    if (dnsIp) this.opts.allowlistDns?.remove(dnsIp);
    this.dnsIps.delete(name);
    this.openMode.delete(name);
    const watch = this.watches.get(name);
    if (!watch) return;
    watch.stop();
    this.watches.delete(name);
    this.scanner.forget(name);
    this.log(`stopped watching ${name}`);
  }

  private containerOf(ip: string): WatchedContainer | undefined {
    for (const watch of this.watches.values())
      if (watch.container.ipv4 === ip) return watch.container;
    return undefined;
  }

  /** Fills in the addresses of watched containers that had none at attach (DHCP came later). */
  private async refreshAddresses(): Promise<Set<string>> {
    const found = new Set<string>();
    for (const watch of this.watches.values()) {
      if (!watch.container.ipv4) {
        const instance = await this.opts.incus.instances
          .getFull(watch.container.name)
          .catch(() => undefined);
        watch.container.ipv4 = instance ? ipv4Of(instance) : '';
      }
      if (watch.container.ipv4) found.add(watch.container.ipv4);
    }
    return found;
  }

  private async releaseNetwork(name: string): Promise<void> {
    const ip = this.watches.get(name)?.container.ipv4;
    if (ip && this.opts.releaseNetwork) await this.opts.releaseNetwork(ip);
  }

  private async startKmsg(): Promise<void> {
    this.kmsg = new KmsgNetworkSource({
      containerOf: (ip) => this.containerOf(ip)?.name,
      dnsQueryThreshold: this.opts.settings.dnsQueryThreshold,
      onEvent: (e) => this.onNetworkEvent(e),
      onError: (err) => this.log(`kernel log: ${err.message}`),
    });
    await this.kmsg.start().catch((err: Error) => this.log(`kernel log: ${err.message}`));
  }

  private onNetworkEvent(e: KmsgNetworkEvent): void {
    this.kmsgLines += 1;
    if (!e.alert) return;
    const container = this.containerOf(e.event.containerIp);
    if (!container) {
      void this.refreshAddresses().then((found) => {
        if (found.has(e.event.containerIp)) this.onNetworkEvent({ ...e, container: undefined });
      });
      return;
    }
    const alert =
      this.openMode.has(container.name) && e.alert.title === TITLES.privateNetwork
        ? { ...e.alert, level: 'info' as const }
        : e.alert;
    this.detect({
      container: container.name,
      workspace: container.workspace,
      alert,
      latencyMs: Math.max(0, uptimeMs() - e.record.usec / 1000),
    });
  }
}
