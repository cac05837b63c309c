// The monitor daemon's CPU (node plus its exec event reader, compiled or perl) with 10 idle monitored
// containers, then while one of them runs a test suite of 5 × 500 short processes: the targets are
// < 2 % and < 10 % of one core. COI_BENCH_CPU_WINDOW_MS sets the idle window (default 60 s). Run
// it under `npx tsx --cpu-prof bench/monitor-cpu.ts` to see where the daemon's time goes.
// Needs root and the base image; containers are named coi-test-bench…-… and deleted at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/core/config/index.js';
import { monitorSettings } from '../src/core/policy/monitor-settings.js';
import { Incus } from '../src/incus/index.js';
import { IO_BOOT_GRACE_MS } from '../src/security/monitor/container-watch.js';
import { MonitorDaemon } from '../src/security/monitor/daemon.js';
import { containerName } from '../src/shared/naming.js';
import { launchBenchContainer, removeBenchContainer } from './_containers.js';
import { SUITE_UID, TEST_SUITE, formatCpu, monitorCpu } from './_monitor-cpu.js';

const PREFIX = `coi-test-bench${process.pid.toString(16)}-`;
const IDLE_CONTAINERS = 10;
/** The image the integration tests use (docker, node, python3), made by the coi build test. */
const TEST_IMAGE = 'coi-test-default';
const WINDOW_MS = Number(process.env.COI_BENCH_CPU_WINDOW_MS ?? 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(): Promise<void> {
  const incus = Incus.local();
  const daemonIncus = Incus.local();
  const home = mkdtempSync(join(tmpdir(), 'coi-bench-cpu-'));
  const { config } = loadConfig({ cwd: home, home, env: {} });
  const daemon = new MonitorDaemon({
    incus: daemonIncus,
    coiDir: join(home, '.coi'),
    prefix: PREFIX,
    settings: monitorSettings(config),
    network: true,
  });
  const names = Array.from({ length: IDLE_CONTAINERS }, (_, i) =>
    containerName(`/bench/cpu/${i}`, 1, PREFIX),
  );
  const image = (await incus.images.findByAlias(TEST_IMAGE)) ? TEST_IMAGE : undefined;
  try {
    await daemon.start(false);
    await Promise.all(
      names.map((name, i) =>
        launchBenchContainer(incus.client, name, {
          config: { 'user.coi.workspace': `/bench/cpu/${i}`, 'user.coi.code_user': 'code' },
          image,
        }),
      ),
    );
    await Promise.all(names.map((n) => daemon.watchOf(n, 30_000)));
    await sleep(IO_BOOT_GRACE_MS);
    const idle = await monitorCpu(daemon, async () => {
      await sleep(WINDOW_MS);
    });
    const suite = await monitorCpu(daemon, async () => {
      const r = await incus.exec.run(names[0]!, TEST_SUITE, { user: SUITE_UID });
      if (r.exitCode !== 0) console.log(`  the suite failed: ${r.stderr.toString().trim()}`);
    });
    const status = daemon.status();
    console.log(formatCpu(`idle, ${IDLE_CONTAINERS} monitored containers`, idle));
    console.log(formatCpu('one of them running 5 × 500 short processes', suite));
    console.log(
      `  per exec: ${(((suite.percent / 100) * suite.wallMs * 1000) / Math.max(1, suite.execs)).toFixed(0)} µs of CPU ` +
        `over ${suite.execs} execs (${Math.round(suite.execs / (suite.wallMs / 1000))} a second)`,
    );
    console.log(`image: ${image ?? 'the base image'}`);
    console.log(
      `alerts raised: ${status.alerts}; process starts: ${status.processEvents?.state ?? '?'} ` +
        `(${status.processEvents?.detail ?? '?'}, ${status.processEvents?.execs ?? 0} execs)`,
    );
  } finally {
    await daemon.stop();
    for (const name of names) await removeBenchContainer(incus.client, name).catch(() => undefined);
    await daemonIncus.close();
    await incus.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
