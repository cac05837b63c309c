import { TITLES, levelRank, type Alert } from '../alert.js';
import { classifyCommandLine } from '../detectors/command-line.js';
import { IoVolumeDetector } from '../detectors/io-volume.js';
import { shellScript } from '../detectors/shell-script.js';
import type { Detection } from '../response/responder.js';
import { CanaryWatcher, canaryPaths, type CanaryTouch } from '../sources/canaries.js';
import type { IoCounters } from '../sources/io-stat-parse.js';
import { largerCounters, readCgroupIo } from '../sources/io-counters.js';
import { readStart, uptimeMs } from '../sources/proc-read.js';
import type { ProcessSighting } from '../sources/processes.js';
import type { MonitorSettings } from './settings.js';
import { ProcessTreeAlerts } from './process-tree-alerts.js';

export interface WatchedContainer {
  name: string;
  workspace: string;
  /** Host PID of the container's init (its /proc/<pid>/root is the container's filesystem). */
  initPid: number;
  /** The code user's home inside the container, where the canaries are. */
  home: string;
  /** '' until the container has an address (then filled in when a packet needs attributing). */
  ipv4: string;
}

export interface ContainerWatchOptions {
  settings: MonitorSettings;
  /** The bytes the container's processes read and wrote so far (ProcessScanner.ioTotal). */
  processIo: () => IoCounters;
  detect: (detection: Detection) => void;
  onProblem: (message: string) => void;
  ioIntervalMs?: number;
  /**
   * I/O alerts are dropped while the container is younger than this: booting reads its programs
   * from disk, which would otherwise look like a burst.
   */
  ioBootGraceMs?: number;
  canaryRetryMs?: number;
}

export const IO_BOOT_GRACE_MS = 20_000;

/**
 * Everything watched per container besides its processes (which one scanner finds for all):
 * the credential canaries, and the I/O volume sampled every `ioIntervalMs`. It also turns the
 * scanner's sightings of this container into command-line alerts.
 */
export class ContainerWatch {
  private readonly io: IoVolumeDetector;
  private cgroupBase?: IoCounters;
  private ioTimer?: NodeJS.Timeout;
  private canaryTimer?: NodeJS.Timeout;
  private canaries?: CanaryWatcher;
  private watchedCanaries: string[] = [];
  private readonly commandAlerts = new ProcessTreeAlerts();

  constructor(
    readonly container: WatchedContainer,
    private readonly opts: ContainerWatchOptions,
  ) {
    this.io = new IoVolumeDetector(opts.settings.io);
  }

  start(): void {
    this.cgroupBase = readCgroupIo(this.container.name);
    this.sampleIo();
    this.ioTimer = setInterval(() => this.sampleIo(), this.opts.ioIntervalMs ?? 2000);
    this.ioTimer.unref();
    this.watchCanaries();
  }

  stop(): void {
    clearInterval(this.ioTimer);
    clearTimeout(this.canaryTimer);
    this.canaries?.stop();
  }

  /** Resolves when the canaries present now are watched (for tests and the bench). */
  async canariesReady(): Promise<string[]> {
    await this.canaries?.ready;
    return this.watchedCanaries;
  }

  /**
   * The command line, and a shell's `-c` script on its own; the most severe finding counts. Folded
   * when the parent raised the same alert, or the process itself did under its previous command
   * line (one process, one alert, however many execs the kernel reports).
   */
  onCommand(sighting: ProcessSighting): void {
    const worst = this.worstCommandAlert(sighting.pid, sighting.argv);
    if (!worst) return;
    if (this.commandAlerts.sameAsParent(sighting.pid, sighting.ppid, worst.title)) return;
    const before =
      sighting.previousArgv && this.worstCommandAlert(sighting.pid, sighting.previousArgv);
    if (before && before.title === worst.title) return;
    this.emit(worst, sighting.ageMs);
  }

  private worstCommandAlert(pid: number, argv: string[]): Alert | undefined {
    const options = this.opts.settings.commandLine;
    const script = shellScript(argv);
    const alerts = [
      classifyCommandLine({ pid, command: argv.join(' ') }, options),
      script === undefined ? undefined : classifyCommandLine({ pid, command: script }, options),
    ].filter((a): a is Alert => a !== undefined);
    return alerts.sort((a, b) => levelRank(b.level) - levelRank(a.level))[0];
  }

  /** A behavioural reverse-shell finding (stdio on a socket, a relay, a bind shell). */
  onReverseShell(sighting: ProcessSighting, alert: Alert): void {
    this.emit(alert, sighting.ageMs);
  }

  private emit(alert: Alert, latencyMs: number): void {
    const { name, workspace } = this.container;
    this.opts.detect({ container: name, workspace, alert, latencyMs });
  }

  private sampleIo(): void {
    const cgroup = readCgroupIo(this.container.name);
    const base = this.cgroupBase;
    const sinceWatch =
      cgroup && base
        ? {
            readBytes: cgroup.readBytes - base.readBytes,
            writeBytes: cgroup.writeBytes - base.writeBytes,
          }
        : undefined;
    const counters = largerCounters(sinceWatch, this.opts.processIo());
    const alerts = this.io.observe(counters, Date.now());
    const bootedAt = readStart(this.container.initPid);
    const age = bootedAt === undefined ? Infinity : uptimeMs() - bootedAt;
    if (age < (this.opts.ioBootGraceMs ?? IO_BOOT_GRACE_MS)) return;
    for (const alert of alerts) this.emit(alert, 0);
  }

  /**
   * Watches the canaries that exist; while some are missing (planted after the container started,
   * or never), looks again every `canaryRetryMs` and restarts the watcher with the new set.
   */
  private watchCanaries(): void {
    const all = canaryPaths(this.container.home);
    const present = CanaryWatcher.present(this.container.initPid, all);
    if (present.length > this.watchedCanaries.length) {
      this.canaries?.stop();
      this.watchedCanaries = present;
      this.canaries = new CanaryWatcher(
        this.container.initPid,
        present,
        (touch) => this.onCanary(touch),
        this.opts.onProblem,
      );
      this.canaries.ready.catch((err: Error) => this.opts.onProblem(err.message));
    }
    if (present.length < all.length) {
      this.canaryTimer = setTimeout(() => this.watchCanaries(), this.opts.canaryRetryMs ?? 5000);
      this.canaryTimer.unref();
    }
  }

  private onCanary(touch: CanaryTouch): void {
    this.emit(
      {
        level: 'high',
        category: 'credential_access',
        title: TITLES.canary,
        description: `Something in the container opened the decoy credential ${touch.path}; nothing legitimate reads it`,
        evidence: { sensitive_file: { path: touch.path, access: touch.events } },
      },
      0,
    );
  }
}
