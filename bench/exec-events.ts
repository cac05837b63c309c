// Short-lived processes against the monitor daemon, with the kernel's exec events and with the
// /proc poll alone, in the same run: how many of 20 credential greps living ~1 ms and ~10 ms are
// recorded, and the recorded latency from the exec to the alert (p50/p95). Then the CPU of the
// event reader (compiled, or perl) and of the daemon with 10 idle monitored containers.
// Needs root and the base image; containers are named coi-test-bench…-… and deleted at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/core/config/index.js';
import { monitorSettings } from '../src/core/policy/monitor-settings.js';
import { Incus } from '../src/incus/index.js';
import type { AuditRecord } from '../src/security/audit/record.js';
import { readAudit } from '../src/security/audit/tail.js';
import { MonitorDaemon } from '../src/security/monitor/daemon.js';
import { readCpuSeconds } from '../src/security/sources/proc-read.js';
import { containerName } from '../src/shared/naming.js';
import { launchBenchContainer, removeBenchContainer } from './_containers.js';
import { readerChild } from './_monitor-cpu.js';

const PREFIX = `coi-test-bench${process.pid.toString(16)}-`;
const TRIALS = 20;
const IDLE_CONTAINERS = 10;
const CPU_WINDOW_MS = 30_000;
const RECORD_WAIT_MS = 2000;

/**
 * grep blocks opening the fifo `$1` until killed ~10 ms later. In /root: a file pushed into /tmp
 * right after the start can end up under the tmpfs that boot mounts there.
 */
const TEN_MS_GREP = 'mkfifo "$1"; grep -r aws_secret_access_key "$1" & sleep 0.01; kill $!; wait\n';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function row(label: string, caught: number, latencies: number[]): string {
  const f = (n: number) => n.toFixed(1).padStart(6);
  const timing = latencies.length
    ? `p50 ${f(percentile(latencies, 50))} ms  p95 ${f(percentile(latencies, 95))} ms`
    : 'no samples';
  return `${label.padEnd(40)} caught ${String(caught).padStart(2)}/${TRIALS}  ${timing}`;
}

export async function run(): Promise<void> {
  const incus = Incus.local();
  const home = mkdtempSync(join(tmpdir(), 'coi-bench-exec-'));
  const { config } = loadConfig({ cwd: home, home, env: {} });
  const created: string[] = [];
  const launch = async (label: string) => {
    const workspace = `/bench/exec/${label}`;
    const name = containerName(workspace, 1, PREFIX);
    created.push(name);
    await launchBenchContainer(incus.client, name, {
      config: { 'user.coi.workspace': workspace, 'user.coi.code_user': 'code' },
    });
    return name;
  };
  const daemonClients: Incus[] = [];
  const daemonWith = (processEvents: boolean) => {
    const client = Incus.local();
    daemonClients.push(client);
    return new MonitorDaemon({
      incus: client,
      coiDir: join(home, `.coi-${processEvents ? 'events' : 'poll'}`),
      prefix: PREFIX,
      settings: { ...monitorSettings(config), processEvents },
      network: false,
    });
  };

  try {
    const target = await launch('target');
    await incus.files.push(target, '/root/ten-ms-grep.sh', Buffer.from(TEN_MS_GREP));
    const lines: string[] = [];
    for (const processEvents of [true, false]) {
      const daemon = daemonWith(processEvents);
      await daemon.start(false);
      await daemon.watchOf(target, 30_000);
      const source = processEvents ? 'exec events' : '/proc poll only';
      const records = async () => {
        const found: AuditRecord[] = [];
        await readAudit(join(home, `.coi-${processEvents ? 'events' : 'poll'}`, 'audit'), target, {
          onRecord: (r) => found.push(r),
        });
        return found;
      };
      for (const [life, command] of [
        ['~1 ms', (i: number) => ['grep', '-r', 'aws_secret_access_key', `/none-${i}`]],
        ['~10 ms', (i: number) => ['sh', '/root/ten-ms-grep.sh', `/root/f-${i}`]],
      ] as const) {
        const latencies: number[] = [];
        let caught = 0;
        for (let i = 0; i < TRIALS; i++) {
          const marker = `${life === '~1 ms' ? '/none' : '/root/f'}-${i}`;
          await incus.exec.run(target, command(i));
          const deadline = Date.now() + RECORD_WAIT_MS;
          let record: AuditRecord | undefined;
          while (!record && Date.now() < deadline) {
            record = (await records()).find((r) => r.description.endsWith(marker));
            if (!record) await sleep(20);
          }
          if (!record) continue;
          caught += 1;
          latencies.push(record.detection_latency_ms);
        }
        lines.push(row(`${life} credential grep, ${source}`, caught, latencies));
      }
      await daemon.stop();
      await incus.exec.run(target, ['sh', '-c', 'rm -f /root/f-*']);
    }

    const daemon = daemonWith(true);
    await daemon.start(false);
    const idle = await Promise.all(
      Array.from({ length: IDLE_CONTAINERS }, (_, i) => launch(`idle-${i}`)),
    );
    await Promise.all(idle.map((n) => daemon.watchOf(n, 30_000)));
    await sleep(5000);
    const reader = readerChild();
    const readerBefore = reader && readCpuSeconds(reader.pid);
    const execsBefore = daemon.status().processEvents?.execs ?? 0;
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    await sleep(CPU_WINDOW_MS);
    const wallSec = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const readerAfter = reader && readCpuSeconds(reader.pid);
    const status = daemon.status();
    await daemon.stop();

    console.log(lines.join('\n'));
    const pct = (sec: number) => `${((sec / wallSec) * 100).toFixed(2)} % of one core`;
    console.log(
      `idle, ${IDLE_CONTAINERS} monitored containers over ${Math.round(wallSec)} s: ` +
        `exec reader (${reader?.name ?? '?'}) ${readerBefore === undefined || readerAfter === undefined ? 'not found' : pct(readerAfter - readerBefore)}, ` +
        `daemon (node, poll included) ${pct((cpu.user + cpu.system) / 1e6)}; ` +
        `${(status.processEvents?.execs ?? 0) - execsBefore} container execs seen, ` +
        `${status.processEvents?.lost ?? 0} event drops (${status.processEvents?.detail ?? '?'})`,
    );
  } finally {
    for (const name of created)
      await removeBenchContainer(incus.client, name).catch(() => undefined);
    for (const client of daemonClients) await client.close();
    await incus.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
