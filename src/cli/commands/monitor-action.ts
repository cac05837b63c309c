import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../core/config/index.js';
import { listCoiContainers } from '../../core/container/list.js';
import { containerPrefix, parseContainerName } from '../../shared/naming.js';
import { Incus } from '../../incus/index.js';
import { defaultHostNetwork } from '../../core/session/network.js';
import { sessionSupervision } from '../../core/session/supervision.js';
import { MonitorDaemon, type MonitorStatus } from '../../security/monitor/daemon.js';
import { monitorPaths } from '../../security/monitor/paths.js';
import { monitorSettings } from '../../core/policy/monitor-settings.js';
import { ask } from '../../security/monitor/singleton.js';
import { formatSnapshot, takeSnapshot } from '../../security/monitor/snapshot.js';
import { NetworkGuard } from '../../security/network/guard.js';
import { AllowlistDns } from '../../security/monitor/allowlist-dns.js';
import { extraNetTools } from '../../security/detectors/reverse-shell.js';
import { gtfobinsDir, gtfobinsShellPrograms } from '../../security/patterns/gtfobins.js';
import { injectionDir, loadInjection } from '../../security/proxy/inject/store.js';
import { withContext } from '../context.js';
import { CliError, usageError } from '../errors.js';
import { outputFormat, printJson } from '../output.js';
import type { MonitorFlags } from './monitor.js';

/** `coi monitor [container] [--watch N]`, or with `--daemon` the monitor daemon itself. */
export async function monitorAction(name: string | undefined, flags: MonitorFlags): Promise<void> {
  if (flags.daemon) {
    if (name || flags.watch || flags.json || flags.format !== 'text')
      throw usageError('--daemon takes no container, --watch or --format');
    await runDaemon();
    return;
  }
  const format = outputFormat(flags);
  const every = flags.watch === undefined ? undefined : Number(flags.watch);
  if (every !== undefined && (!Number.isFinite(every) || every <= 0))
    throw usageError(`--watch: expected a number of seconds above 0, got "${flags.watch}"`);
  if (every !== undefined && format === 'json')
    throw usageError('--watch and --format json do not go together: pick one');
  await withContext({}, async (ctx) => {
    const show = async () => {
      const containers = (await listCoiContainers(ctx.incus, ctx.prefix)).filter((c) =>
        name ? c.name === name : c.status === 'Running' || c.status === 'Frozen',
      );
      if (name && containers.length === 0)
        throw new CliError(`${name} is not a coi container (see \`coi list\`)`);
      const daemon = await daemonStatus(ctx.coiDir);
      const audit = monitorPaths(ctx.coiDir).audit;
      const snapshots = await Promise.all(containers.map((c) => takeSnapshot(c, audit, daemon)));
      if (format === 'json') return printJson(name ? snapshots[0] : snapshots);
      if (every !== undefined) process.stdout.write('\x1b[2J\x1b[H');
      if (snapshots.length === 0) process.stdout.write('No running coi containers.\n');
      process.stdout.write(snapshots.map(formatSnapshot).join('\n'));
    };
    await show();
    if (every === undefined) return;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, every * 1000));
      await show();
    }
  });
}

async function daemonStatus(coiDir: string): Promise<MonitorStatus | null> {
  const reply = await ask(monitorPaths(coiDir).socket, 'status');
  return reply ? (JSON.parse(reply) as MonitorStatus) : null;
}

/**
 * `coi monitor --daemon`: user-level config, every coi container, until SIGTERM/SIGINT; also the
 * supervisor of this user's sessions.
 */
async function runDaemon(): Promise<void> {
  const home = homedir();
  const coiDir = join(home, '.coi');
  const { config } = loadConfig({ cwd: home });
  const incus = Incus.local({ project: config.incus.project });
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  const host = await defaultHostNetwork(incus, { egressProxy: true }).catch((err: Error) => {
    log(`host network unknown (${err.message}): no allowlist DNS resolver, no address release`);
    return undefined;
  });
  const guard = host && new NetworkGuard(host);
  const reportTo: { daemon?: MonitorDaemon } = {};
  const allowlistDns =
    host &&
    new AllowlistDns({
      host,
      refreshIntervalMinutes: config.network.refresh_interval_minutes,
      noSni: config.network.proxy.no_sni,
      onAlert: (container, alert) => reportTo.daemon?.report(container, alert),
      onDecision: (container, ip, decision) =>
        reportTo.daemon?.recordDecision(container, ip, decision),
      onRecord: (container, alert) => reportTo.daemon?.record(container, alert),
      injectionOf: (container) => loadInjection(injectionDir(coiDir, container)),
      log,
    });
  const settings = monitorSettings(config);
  // `coi update patterns` data, read once: the daemon is restarted to take a new one.
  const netTools = extraNetTools(gtfobinsShellPrograms(gtfobinsDir(coiDir)));
  if (netTools.size > 0) log(`GTFOBins database: ${netTools.size} more network tools`);
  const daemon = new MonitorDaemon({
    incus,
    coiDir,
    prefix: containerPrefix(),
    settings: { ...settings, commandLine: { ...settings.commandLine, netTools } },
    // coi's nft log rules are always in; reading them is one blocking read, so always on.
    network: true,
    ...(allowlistDns ? { allowlistDns, egressProxy: () => allowlistDns.proxyStatus() } : {}),
    releaseNetwork: guard && ((ip) => guard.release(ip)),
    supervision: sessionSupervision(incus, coiDir, log),
    log,
  });
  reportTo.daemon = daemon;
  if (!(await daemon.start())) {
    log('a monitor daemon already runs for this user; leaving it be');
    await incus.close();
    return;
  }
  await allowlistDns?.start().catch((err: Error) => log(`allowlist DNS resolver: ${err.message}`));
  log(`monitor daemon ${process.pid} started`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
    exitWhenIdle(incus, containerPrefix(), resolve);
  });
  await daemon.stop();
  await allowlistDns?.stop();
  await incus.close();
  log('monitor daemon stopped');
}

const IDLE_CHECK_MS = 30_000;

/** Started on demand, the daemon goes away once no coi container has run for two checks. */
function exitWhenIdle(incus: Incus, prefix: string, exit: () => void): void {
  let idleChecks = 0;
  const check = async () => {
    // Incus unreachable for a moment: count as busy rather than exit on a hiccup.
    const instances = await incus.instances.list().catch(() => undefined);
    const busy =
      instances === undefined ||
      instances.some((i) => parseContainerName(i.name, prefix) && i.status !== 'Stopped');
    idleChecks = busy ? 0 : idleChecks + 1;
    if (idleChecks >= 2) exit();
    else setTimeout(() => void check(), IDLE_CHECK_MS).unref();
  };
  setTimeout(() => void check(), IDLE_CHECK_MS).unref();
}
