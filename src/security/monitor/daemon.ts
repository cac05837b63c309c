import type { Server } from 'node:net';
import { toCoiContainer } from '../../shared/coi-container.js';
import { codeHome } from '../../shared/instance-keys.js';
import { ipv4Of } from '../../shared/instance-network.js';
import { parseContainerName } from '../../shared/naming.js';
import { IncusNotFoundError, type IncusApi, type IncusEvent } from '../../incus/index.js';
import type { Alert } from '../alert.js';
import { AuditWriter } from '../audit/writer.js';
import { pruneAuditFiles } from '../audit/retention.js';
import { Responder, type Detection, type ResponseMark } from '../response/responder.js';
import { ExecEventSource, type ExecEventStats } from '../sources/exec-events.js';
import type { ProxyStatus } from '../proxy/egress-proxy.js';
import { injectionDir, removeInjection } from '../proxy/inject/store.js';
import { KmsgNetworkSource } from '../sources/kmsg.js';
import { ProcessScanner } from '../sources/processes.js';
import { ContainerWatch } from './container-watch.js';
import { tmuxNotice } from './notify.js';
import { monitorPaths } from './paths.js';
import { containerSettings, type MonitorSettings } from './settings.js';
import { listenSingleton } from './singleton.js';
import type { AllowlistResolver } from './allowlist-registration.js';
import { coiLifecycle } from './coi-lifecycle.js';
import { KernelLogRouter } from './kernel-log-router.js';
import { NetworkControl } from './network-control.js';
import type { NetworkDecision } from './network-tail.js';
import { SessionSupervisor, type SupervisionHooks } from './supervisor.js';
import { WatchRegistry } from './watch-registry.js';

export interface MonitorDaemonOptions {
  incus: IncusApi;
  coiDir: string;
  prefix: string;
  settings: MonitorSettings;
  /** Read coi's nft log lines from /dev/kmsg (`[monitoring.nft] enabled`). */
  network: boolean;
  /** coi's allowlist DNS resolver (AllowlistDns); the daemon registers each allowlist container. */
  allowlistDns?: AllowlistResolver;
  /** The egress proxy's state (AllowlistDns.proxyStatus), reported in `status`. */
  egressProxy?: () => ProxyStatus;
  /** Removes a container's network rules before a kill (NetworkGuard.release by its IPv4). */
  releaseNetwork?: (ip: string) => Promise<void>;
  /** Supervise coi's sessions (their host locks, ephemeral ones powering themselves off). */
  supervision?: SupervisionHooks;
  /** Messages about the daemon itself (the log file of `coi monitor --daemon`). */
  log?: (message: string) => void;
  /** The responder's containment steps, timed (Responder's `onMark`). */
  onResponseMark?: (container: string, mark: ResponseMark, atMs: number) => void;
  /** Process scan period (ms). */
  scanIntervalMs?: number;
  ioIntervalMs?: number;
  ioBootGraceMs?: number;
  diskIntervalMs?: number;
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
  /** How process starts are found; absent from daemons older than the exec events. */
  processEvents?: ExecEventStats;
  /** coi's egress proxy for allowlist containers; absent when the daemon runs none. */
  egressProxy?: ProxyStatus;
}

/** When a started container is looked at again (see attachSoon). */
const REATTACH_AFTER_MS = [1000, 5000];

/**
 * The host's one monitor process: it watches every running coi container (found through Incus
 * events, attached on start, detached on stop or delete) with one process scanner, per-container
 * canary and I/O watches and, when enabled, the kernel log of the network rules; every finding
 * goes to the responder. With `supervision` it is also the supervisor of the sessions whose
 * launching process is gone (see SessionSupervisor).
 */
export class MonitorDaemon {
  readonly responder: Responder;
  private readonly watches: WatchRegistry<ContainerWatch>;
  /** Allowlist registrations, the network tail the control room reads, live allowlist changes. */
  readonly network: NetworkControl;
  private readonly kernelLog: KernelLogRouter;
  private readonly scanner: ProcessScanner;
  private readonly supervisor?: SessionSupervisor;
  private kmsg?: KmsgNetworkSource;
  private execEvents?: ExecEventSource;
  private processEvents: ExecEventStats = {
    state: 'off',
    detail: '[monitoring] process_events = false',
    execs: 0,
    lost: 0,
  };
  private server?: Server;
  private unsubscribe?: () => void;
  private alerts = 0;
  private readonly reattachTimers = new Set<NodeJS.Timeout>();
  private readonly log: (message: string) => void;

  constructor(private readonly opts: MonitorDaemonOptions) {
    this.log = opts.log ?? (() => undefined);
    const paths = monitorPaths(opts.coiDir);
    const audit = new AuditWriter(paths.audit);
    this.responder = new Responder({
      incus: opts.incus,
      audit,
      prefix: opts.prefix,
      policy: opts.settings.policy,
      policyOf: (name) => this.watches.get(name)?.settings.policy,
      forensicsOnKill: opts.settings.forensicsOnKill,
      releaseNetwork: opts.releaseNetwork && (async (name) => this.releaseNetwork(name)),
      onMark: opts.onResponseMark,
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
    this.watches = new WatchRegistry({
      lookupIpv4: (name) =>
        opts.incus.instances.getFull(name).then(
          (instance) => ipv4Of(instance),
          // Gone (its stop event detaches it) or Incus unreachable: asked again on the next line.
          () => '',
        ),
      onAttachError: (name, err) => this.log(`cannot watch ${name}: ${err.message}`),
    });
    this.network = new NetworkControl({
      incus: opts.incus,
      prefix: opts.prefix,
      audit,
      resolver: opts.allowlistDns,
    });
    if (opts.supervision) {
      this.supervisor = new SessionSupervisor({
        incus: opts.incus,
        prefix: opts.prefix,
        hooks: opts.supervision,
        log: this.log,
      });
    }
    this.kernelLog = new KernelLogRouter({
      containerOf: (ip) => this.watches.containerOf(ip),
      refreshAddresses: () => this.watches.refreshAddresses(),
      openMode: (name) => this.watches.openMode(name),
      detect: (d) => this.detect(d),
      onDecision: (container, ip, decision) => this.network.record(container, ip, decision),
    });
    this.scanner = new ProcessScanner({
      intervalMs: opts.scanIntervalMs,
      watched: (name) => this.watches.has(name),
      onCommand: (s) => this.watches.get(s.container)?.onCommand(s),
      onStdioSocket: (s, alert) => this.watches.get(s.container)?.onReverseShell(s, alert),
      onRelay: (s, alert) => this.watches.get(s.container)?.onReverseShell(s, alert),
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
        req === 'status' ? JSON.stringify(this.status()) : (this.network.answer(req) ?? 'pong'),
      );
      if (!this.server) return false;
    }
    await pruneAuditFiles(paths.audit, this.opts.settings.retentionDays).catch((err: Error) =>
      this.log(`pruning old audit files failed: ${err.message}`),
    );
    await this.opts.incus.connect();
    this.unsubscribe = this.opts.incus.events.subscribe((event) => this.onEvent(event));
    if (this.opts.network) await this.startKmsg();
    if (this.opts.settings.processEvents) await this.startExecEvents();
    await this.finishInterruptedResponses();
    await this.resync();
    this.supervisor?.resync();
    this.scanner.start();
    return true;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    for (const timer of this.reattachTimers) clearTimeout(timer);
    // A session being saved and deleted is finished first.
    await this.supervisor?.stop();
    this.scanner.stop();
    this.execEvents?.stop();
    this.kmsg?.stop();
    this.watches.stopAll();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  status(): MonitorStatus {
    return {
      pid: process.pid,
      containers: this.watches.names(),
      scans: this.scanner.stats.scans,
      scanBusyMs: Math.round(this.scanner.stats.busyMs),
      kmsgLines: this.kernelLog.lines,
      alerts: this.alerts,
      folded: [...this.responder.folded.values()].reduce((sum, n) => sum + n, 0),
      processEvents: { ...this.processEvents },
      ...(this.opts.egressProxy ? { egressProxy: this.opts.egressProxy() } : {}),
    };
  }

  /** The watch of a container once attached (tests and the bench wait on its canaries). */
  watchOf(name: string, timeoutMs?: number): Promise<ContainerWatch> {
    return this.watches.watchOf(name, timeoutMs);
  }

  /** A decision of the allowlist resolver or the egress proxy, for the network tail. */
  recordDecision(container: string, ip: string, decision: NetworkDecision): void {
    this.network.record(container, ip, decision);
  }

  /** An alert from a source outside the daemon (the allowlist resolver), through the responder. */
  report(container: string, alert: Alert): void {
    const workspace = this.watches.get(container)?.container.workspace;
    if (workspace === undefined) return;
    this.detect({ container, workspace, alert, latencyMs: 0 });
  }

  /** A decision of the egress proxy worth keeping (an injection), written as it is. */
  record(container: string, alert: Alert): void {
    const workspace = this.watches.get(container)?.container.workspace ?? '';
    this.responder
      .record({ container, workspace, alert, latencyMs: 0 })
      .catch((err: Error) => this.log(`recording for ${container} failed: ${err.message}`));
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
    this.supervisor?.onEvent(event);
    if (event.type === 'gap') {
      void this.resync();
      return;
    }
    const change = coiLifecycle(event, this.opts.prefix);
    if (!change) return;
    const { name, kind } = change;
    if (kind === 'paused') this.responder.setPaused(name, true);
    if (kind === 'resumed') this.responder.setPaused(name, false);
    if (kind === 'started' || kind === 'resumed') this.attachSoon(name);
    if (kind === 'stopped' || kind === 'deleted') this.detach(name);
    if (kind === 'deleted') {
      this.responder.forget(name);
      this.network.forget(name);
      // Its proxy CA's key goes with it (a new container of the name gets a new one).
      void removeInjection(injectionDir(this.opts.coiDir, name)).catch((err: Error) =>
        this.log(`removing the proxy CA of ${name} failed: ${err.message}`),
      );
    }
  }

  /** Before anything is watched: what an earlier daemon's responder froze but did not finish. */
  private async finishInterruptedResponses(): Promise<void> {
    try {
      for (const instance of await this.opts.incus.instances.listFull()) {
        const coi = toCoiContainer(instance, this.opts.prefix);
        if (coi?.status !== 'Running') continue;
        const done = await this.responder.finishInterrupted(coi.name, coi.threatKill);
        if (done) this.log(`${coi.name} was left frozen by an interrupted response: ${done}`);
      }
    } catch (err) {
      this.log(`finishing interrupted responses failed: ${(err as Error).message}`);
    }
  }

  /** Attaches every running coi container and detaches the rest. */
  private async resync(): Promise<void> {
    try {
      const names = (await this.opts.incus.instances.names()).filter((n) =>
        parseContainerName(n, this.opts.prefix),
      );
      for (const name of this.watches.names()) if (!names.includes(name)) this.detach(name);
      await Promise.all(names.map((name) => this.attach(name)));
    } catch (err) {
      this.log(`listing containers failed: ${(err as Error).message}`);
    }
  }

  /**
   * Attaches now and looks again a little later: on a loaded host the start event can come
   * before Incus reports the container running with its init pid, and no later event would.
   */
  private attachSoon(name: string): void {
    void this.attach(name);
    for (const ms of REATTACH_AFTER_MS) {
      const timer = setTimeout(() => {
        this.reattachTimers.delete(timer);
        void this.attach(name);
      }, ms);
      timer.unref();
      this.reattachTimers.add(timer);
    }
  }

  private attach(name: string): Promise<void> {
    return this.watches.attach(name, () => this.attachNow(name));
  }

  private async attachNow(name: string): Promise<void> {
    // Gone since the event or the timer that asked (its deletion event detaches it): nothing to do.
    const instance = await this.opts.incus.instances.getFull(name).catch((err: unknown) => {
      if (err instanceof IncusNotFoundError) return undefined;
      throw err;
    });
    if (!instance) return;
    const coi = toCoiContainer(instance, this.opts.prefix);
    if (!coi) return;
    const running = coi.status === 'Running' || coi.status === 'Frozen';
    const initPid = instance.state?.pid ?? 0;
    const current = this.watches.get(name);
    if (current && (!running || current.container.initPid !== initPid)) this.detach(name);
    if (running) this.network.register(coi);
    if (!running || initPid <= 0 || this.watches.has(name)) return;
    if (!coi.monitored) return;
    this.responder.setPaused(name, coi.status === 'Frozen');
    const watch = new ContainerWatch(
      {
        name,
        workspace: coi.workspace,
        initPid,
        home: codeHome(coi.codeUser),
        ipv4: coi.pinnedIpv4 || coi.ipv4,
      },
      {
        settings: containerSettings(this.opts.settings, coi.monitoring),
        processIo: () => this.scanner.ioTotal(name),
        detect: (d) => this.detect(d),
        onProblem: (message) => this.log(`${name}: ${message}`),
        ioIntervalMs: this.opts.ioIntervalMs,
        ioBootGraceMs: this.opts.ioBootGraceMs,
        diskIntervalMs: this.opts.diskIntervalMs,
      },
    );
    this.watches.add(watch, coi.networkMode === 'open');
    watch.start();
    this.scanner.scan();
    const { ipv4 } = watch.container;
    this.log(`watching ${name} (init pid ${initPid}${ipv4 ? `, ${ipv4}` : ''})`);
  }

  /** A container's settings; the daemon's own for one not (or no longer) watched. */
  private settingsOf(name: string | undefined): MonitorSettings {
    return (
      (name === undefined ? undefined : this.watches.get(name)?.settings) ?? this.opts.settings
    );
  }

  private detach(name: string): void {
    this.network.unregister(name);
    if (!this.watches.remove(name)) return;
    this.scanner.forget(name);
    this.log(`stopped watching ${name}`);
  }

  private async releaseNetwork(name: string): Promise<void> {
    const ip = this.watches.get(name)?.container.ipv4;
    if (ip && this.opts.releaseNetwork) await this.opts.releaseNetwork(ip);
  }

  /** Without them (no perl, not root, an old kernel) the poll alone finds processes, as it says. */
  private async startExecEvents(): Promise<void> {
    const source = new ExecEventSource({
      onExec: (event) => this.scanner.observeExec(event),
      onFailed: (reason) => {
        this.scanner.useExecEvents(false);
        this.log(`process events stopped, polling /proc only: ${reason}`);
      },
    });
    this.execEvents = source;
    this.processEvents = source.stats;
    if (await source.start()) this.scanner.useExecEvents(true);
    else this.log(`no process events, polling /proc only: ${source.stats.detail}`);
  }

  private async startKmsg(): Promise<void> {
    this.kmsg = new KmsgNetworkSource({
      containerOf: (ip) => this.watches.containerOf(ip)?.name,
      dnsQueryThresholdOf: (ip) =>
        this.settingsOf(this.watches.containerOf(ip)?.name).dnsQueryThreshold,
      onEvent: (e) => this.kernelLog.onEvent(e),
      onError: (err) => this.log(`kernel log: ${err.message}`),
    });
    await this.kmsg.start().catch((err: Error) => this.log(`kernel log: ${err.message}`));
  }
}
