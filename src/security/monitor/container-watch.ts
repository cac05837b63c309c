import { TITLES, levelRank, type Alert } from '../alert.js';
import { classifyCommandLine } from '../detectors/command-line.js';
import { DiskPressureDetector } from '../detectors/disk-pressure.js';
import { IoVolumeDetector } from '../detectors/io-volume.js';
import { ProcessCountDetector } from '../detectors/process-count.js';
import { classifyRootEscalation } from '../detectors/root-escalation.js';
import {
  classifySensitiveAccess,
  type FileAccess,
  isAccountProgram,
  namesAccountProgram,
  sensitiveDirectories,
} from '../detectors/sensitive-file.js';
import { shellScript } from '../detectors/shell-script.js';
import { setBounded } from '../../shared/bounded-map.js';
import type { Detection } from '../response/responder.js';
import { CanaryWatcher, canaryPaths, type CanaryTouch } from '../sources/canaries.js';
import { cgroupPidsReader } from '../sources/cgroup-pids.js';
import { readCgroupProcs } from '../sources/cgroup-procs.js';
import { readDiskUsage } from '../sources/disk-usage.js';
import type { IoCounters } from '../sources/io-stat-parse.js';
import { cgroupIoReader, largerCounters } from '../sources/io-counters.js';
import {
  readExe,
  readProcOwner,
  readUidMap,
  readUids,
  type UidRange,
} from '../sources/proc-credentials.js';
import { readChain } from '../sources/process-chain.js';
import { readStart, uptimeMs } from '../sources/proc-read.js';
import type { ProcessSighting } from '../sources/processes.js';
import { SensitiveFileWatcher, type FileTouch } from '../sources/sensitive-files.js';
import { PresentPathsWatch } from './present-paths-watch.js';
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
  /** How often the process count is sampled (fork bombs). */
  processIntervalMs?: number;
  /** How often the root disk and /tmp are measured. */
  diskIntervalMs?: number;
}

export const IO_BOOT_GRACE_MS = 20_000;

/** How many quiet command lines a container's watch remembers, and up to what length. */
const QUIET_COMMANDS_REMEMBERED = 2048;
const QUIET_COMMAND_MAX_CHARS = 4096;

/**
 * How long after its start an account program still explains an access to the account files:
 * `sudo -n true` or `usermod` can be gone before inotify's event is read, but their exec was seen.
 * Shorter for a write, which is the more severe finding.
 */
const ACCOUNT_PROGRAM_GRACE_MS: Record<FileAccess, number> = { read: 3000, write: 2000 };

/**
 * Everything watched per container besides its processes (which one scanner finds for all):
 * the credential canaries and sensitive files, the I/O volume sampled every `ioIntervalMs`, the
 * process count and the disks. It also turns the scanner's sightings of this container into
 * command-line and privilege alerts. `opts.settings` are this container's (containerSettings).
 */
export class ContainerWatch {
  private readonly io: IoVolumeDetector;
  private readonly processCount: ProcessCountDetector;
  private readonly disks = new DiskPressureDetector();
  private cgroupBase?: IoCounters;
  private uidMap: UidRange[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly canaries: PresentPathsWatch;
  private readonly sensitiveFiles: PresentPathsWatch;
  private readonly commandAlerts = new ProcessTreeAlerts();
  /**
   * Command lines that raised no alert. The patterns are a pure function of argv and this
   * container's fixed settings, and a test suite runs the same command lines again and again.
   */
  private readonly quietCommands = new Map<string, true>();
  /** When an account program that reads, and one that writes, was last seen starting. */
  private readonly accountProgramAt: Record<FileAccess, number> = {
    read: -Infinity,
    write: -Infinity,
  };
  private readonly readPids: () => number | undefined;
  private readonly readIo: () => IoCounters | undefined;

  constructor(
    readonly container: WatchedContainer,
    private readonly opts: ContainerWatchOptions,
  ) {
    this.io = new IoVolumeDetector(opts.settings.io);
    this.processCount = new ProcessCountDetector(opts.settings.process);
    this.readPids = cgroupPidsReader(container.name);
    this.readIo = cgroupIoReader(container.name);
    const { initPid, home } = container;
    const retryMs = opts.canaryRetryMs ?? 5000;
    const all = canaryPaths(home);
    this.canaries = new PresentPathsWatch({
      all,
      present: () => CanaryWatcher.present(initPid, all),
      watch: (paths) =>
        new CanaryWatcher(initPid, paths, (touch) => this.onCanary(touch), opts.onProblem),
      onProblem: opts.onProblem,
      retryMs,
    });
    const dirs = sensitiveDirectories(home);
    this.sensitiveFiles = new PresentPathsWatch({
      all: dirs,
      present: () => SensitiveFileWatcher.present(initPid, dirs),
      watch: (paths) =>
        new SensitiveFileWatcher(initPid, paths, home, (touch) => this.onSensitiveFile(touch)),
      onProblem: opts.onProblem,
      retryMs,
    });
  }

  /** The settings this container is watched with. */
  get settings(): MonitorSettings {
    return this.opts.settings;
  }

  start(): void {
    this.cgroupBase = this.readIo();
    this.uidMap = readUidMap(this.container.initPid);
    this.every(this.opts.ioIntervalMs ?? 2000, () => this.sampleIo());
    this.every(this.opts.processIntervalMs ?? 250, () => this.sampleProcessCount());
    this.every(this.opts.diskIntervalMs ?? 30_000, () => this.sampleDisks());
    this.canaries.start();
    this.sensitiveFiles.start();
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.canaries.stop();
    this.sensitiveFiles.stop();
  }

  /** Resolves when the canaries present now are watched (for tests and the bench). */
  canariesReady(): Promise<string[]> {
    return this.canaries.ready();
  }

  /** Resolves when the sensitive directories present now are watched. */
  sensitiveFilesReady(): Promise<string[]> {
    return this.sensitiveFiles.ready();
  }

  /** Runs `sample` now and every `ms`. */
  private every(ms: number, sample: () => void): void {
    sample();
    const timer = setInterval(sample, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * The command line, and a shell's `-c` script on its own; the most severe finding counts. Folded
   * when the parent raised the same alert, or the process itself did under its previous command
   * line (one process, one alert, however many execs the kernel reports).
   */
  onCommand(sighting: ProcessSighting): void {
    const worst = this.worstCommandAlert(sighting.pid, sighting.argv);
    this.noteAccountProgram(sighting);
    this.checkPrivilege(sighting);
    if (!worst) return;
    if (this.commandAlerts.sameAsParent(sighting.pid, sighting.ppid, worst.title)) return;
    const before =
      sighting.previousArgv && this.worstCommandAlert(sighting.pid, sighting.previousArgv);
    if (before && before.title === worst.title) return;
    this.emit(worst, sighting.ageMs);
  }

  /**
   * A short-lived one (usermod) may be gone by now: its exec's name is the evidence then, as it
   * would be for a copy elsewhere named so; root in the container can run the real one anyway.
   * A writer that init starts (systemd-sysusers at boot) explains only what it writes while it
   * runs: a boot must not lend its grace to the first seconds of the session.
   */
  private noteAccountProgram(sighting: ProcessSighting): void {
    const argv0 = sighting.argv[0] ?? '';
    if (!namesAccountProgram(argv0)) return;
    const exe = readExe(sighting.pid);
    const byInit = sighting.ppid === this.container.initPid;
    for (const access of ['read', 'write'] as const) {
      if (access === 'write' && byInit) continue;
      const is = exe ? isAccountProgram(exe, access) : namesAccountProgram(argv0, access);
      if (is) this.accountProgramAt[access] = Date.now();
    }
  }

  /**
   * A process become root: only root processes cost the walk up their parents. The owner its
   * exec event gave spares a stat per exec; a process that becomes root without an exec is seen
   * by the program it then runs.
   */
  private checkPrivilege(sighting: ProcessSighting): void {
    const root = this.uidMap.find((r) => r.inside === 0)?.outside ?? 0;
    const owner = sighting.owner ?? readProcOwner(sighting.pid);
    // Gone already (most of a test suite's processes by now): nothing left to check.
    if (owner === undefined || (owner !== root && owner !== 0)) return;
    const uids = readUids(sighting.pid);
    if (uids?.effective !== root) return;
    const chain = readChain(sighting.pid, this.container.initPid, this.uidMap);
    const alert = classifyRootEscalation(chain, this.opts.settings.codeUid);
    if (alert) this.emit(alert, sighting.ageMs);
  }

  private worstCommandAlert(pid: number, argv: string[]): Alert | undefined {
    // NUL cannot be in an argument: `sh -c 'a b'` and `sh -c a b` are two keys.
    const key = argv.join('\0');
    if (this.quietCommands.has(key)) return undefined;
    const options = this.opts.settings.commandLine;
    const script = shellScript(argv);
    const alerts = [
      classifyCommandLine({ pid, command: argv.join(' ') }, options),
      script === undefined ? undefined : classifyCommandLine({ pid, command: script }, options),
    ].filter((a): a is Alert => a !== undefined);
    const worst = alerts.sort((a, b) => levelRank(b.level) - levelRank(a.level))[0];
    if (!worst && key.length <= QUIET_COMMAND_MAX_CHARS)
      setBounded(this.quietCommands, key, true, QUIET_COMMANDS_REMEMBERED);
    return worst;
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
    const cgroup = this.readIo();
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

  private sampleProcessCount(): void {
    const count = this.readPids();
    if (count === undefined) return;
    for (const alert of this.processCount.observe(count, Date.now())) this.emit(alert, 0);
  }

  private sampleDisks(): void {
    for (const alert of this.disks.observe(readDiskUsage(this.container.initPid)))
      this.emit(alert, 0);
  }

  /** An account program explains the access when it runs now or started moments ago. */
  private onSensitiveFile(touch: FileTouch): void {
    const alert = classifySensitiveAccess(
      touch.path,
      touch.events,
      this.container.home,
      (access) =>
        Date.now() - this.accountProgramAt[access] < ACCOUNT_PROGRAM_GRACE_MS[access] ||
        readCgroupProcs(this.container.name).some((pid) => isAccountProgram(readExe(pid), access)),
    );
    if (alert) this.emit(alert, 0);
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
