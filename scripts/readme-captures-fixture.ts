/** The made-up but realistic room the README's captures show (scripts/readme-captures.tsx). */
import type { SlotViewData, SlotViewKind } from '../src/core/control-room/slot-view-types.js';
import type { createTuiStore, TuiStoreApi } from '../src/ui/state/store.js';
import type { AgentState, SlotInstance, ThreatAlert } from '../src/ui/state/types.js';

export const NOW = Date.UTC(2026, 11, 1, 14, 30, 0);
const HOUR = 3_600_000;

const WORKSPACES = ['/home/dev/webapp', '/home/dev/payments-api'];

const slot = (w: number, n: number, extra: Partial<SlotInstance> = {}): SlotInstance => ({
  name: `coi-${['7f3a91c2', 'b81d0e44'][w]}-${n}`,
  workspace: WORKSPACES[w]!,
  slot: n,
  state: 'running',
  frozenByThreat: false,
  tool: 'claude',
  persistent: false,
  ipv4: `10.99.0.${20 + w * 10 + n}`,
  startedAt: NOW - n * 1.5 * HOUR,
  ...extra,
});

const SLOTS = [
  slot(0, 1),
  slot(0, 2, { persistent: true, ports: ['127.0.0.1:3000→3000'] }),
  slot(0, 3, { tool: 'codex' }),
  slot(1, 1, { state: 'frozen', frozenByThreat: true }),
  slot(1, 2, { tool: 'aider' }),
];

export const SELECTED_SLOT = SLOTS[0]!.name;

const AGENTS: AgentState[] = ['working', 'approval', 'input', 'exited', 'idle'];

const ALERTS: ThreatAlert[] = [
  {
    id: 'a-1',
    time: NOW - 25 * 60_000,
    severity: 'high',
    container: SLOTS[3]!.name,
    slot: 1,
    workspace: WORKSPACES[1]!,
    title: 'Reverse shell: bash with a TCP socket on stdin',
    description: 'bash -i with fd 0 connected to 10.99.0.1:4444; the container was paused',
    category: 'process',
    action: 'paused',
    evidence: { pid: 48211, comm: 'bash', remote_addr: '10.99.0.1:4444' },
    acknowledged: false,
  },
  {
    id: 'a-2',
    time: NOW - 12 * 60_000,
    severity: 'warning',
    container: SLOTS[2]!.name,
    slot: 3,
    workspace: WORKSPACES[0]!,
    title: 'Blocked connection to 169.254.169.254:80 (cloud metadata)',
    category: 'network',
    action: 'alerted',
    evidence: { dst_ip: '169.254.169.254', dst_port: 80 },
    acknowledged: false,
  },
  {
    id: 'a-3',
    time: NOW - 3 * 60_000,
    severity: 'info',
    container: SLOTS[0]!.name,
    slot: 1,
    workspace: WORKSPACES[0]!,
    title: 'DNS name refused by the allowlist: telemetry.example.net',
    category: 'network',
    action: 'alerted',
    evidence: { name: 'telemetry.example.net' },
    acknowledged: true,
  },
];

export function captureStore(create: typeof createTuiStore): TuiStoreApi {
  const store = create({ workspaces: WORKSPACES });
  const s = store.getState();
  s.setConnection({ state: 'connected' });
  for (const i of SLOTS) s.upsertInstance(i);
  s.setMetrics(
    Object.fromEntries(
      SLOTS.map((i, k) => [
        i.name,
        {
          cpuPercent: i.state === 'frozen' ? 0 : [42, 3.5, 87, 0, 12][k]!,
          memoryUsedBytes: [1.2, 0.6, 2.1, 0.4, 0.9][k]! * 1024 ** 3,
          memoryLimitBytes: 4 * 1024 ** 3,
          netRxBytesPerSec: k * 2048,
          netTxBytesPerSec: k * 512,
        },
      ]),
    ),
  );
  s.setAgentStates(Object.fromEntries(SLOTS.map((i, k) => [i.name, AGENTS[k]!])));
  s.addAlerts(ALERTS);
  return store;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What each per-slot view's feed delivers for a container. */
export const VIEW_DATA: Record<SlotViewKind, (container: string) => SlotViewData> = {
  processes: (container) => ({
    view: 'processes',
    container,
    processes: [
      {
        pid: 51234,
        user: 'code',
        cpuPercent: 38.2,
        rssBytes: 412e6,
        command: 'node /usr/local/bin/claude --dangerously-skip-permissions',
      },
      {
        pid: 51390,
        user: 'code',
        cpuPercent: 3.1,
        rssBytes: 96e6,
        command: 'npm test -- --watch=false',
      },
      {
        pid: 51002,
        user: 'code',
        cpuPercent: 0.4,
        rssBytes: 4.1e6,
        command: 'tmux new-session -d -s coi',
      },
      { pid: 50871, user: 'root', cpuPercent: 0.1, rssBytes: 11e6, command: '/sbin/init' },
      {
        pid: 50930,
        user: 'root',
        cpuPercent: 0,
        rssBytes: 3.4e6,
        command: 'dhclient -4 -v -i -pf /run/dhclient.eth0.pid eth0',
      },
    ],
  }),
  details: (container) => ({
    view: 'details',
    container,
    sections: [
      {
        title: 'Container',
        rows: [
          ['Name', container],
          ['Status', 'Running'],
          ['Image', 'coi-default'],
          ['Tool', 'claude'],
          ['Persistent', 'no (ephemeral session)'],
          ['Workspace', WORKSPACES[0]!],
        ],
      },
      {
        title: 'Network',
        rows: [
          ['Mode', 'allowlist (registry.npmjs.org, api.anthropic.com, github.com)'],
          ['IPv4', '10.99.0.21'],
          ['Ports', 'none'],
        ],
      },
      {
        title: 'Protection',
        rows: [
          ['Read-only', '.git/hooks, .git/config, .husky, .vscode'],
          ['Monitor', 'running (pause on HIGH, kill on CRITICAL)'],
          ['Limits', 'cpu 4, memory 4GiB'],
        ],
      },
    ],
  }),
  logs: (container) => ({
    view: 'logs',
    container,
    lines: [
      '2026/12/01 13:00:02 session started: claude in ' + container,
      '2026/12/01 13:00:03 workspace mounted at /workspace (idmapped)',
      '2026/12/01 13:41:17 agent: running npm test',
      '2026/12/01 14:27:00 DNS telemetry.example.net refused (not in the allowlist)',
      '2026/12/01 14:29:51 agent: waiting for input',
    ],
  }),
  network: (container) => ({
    view: 'network',
    container,
    decisions: [
      {
        time: NOW - 4_000,
        source: 'proxy',
        verdict: 'allowed',
        name: 'registry.npmjs.org',
        address: '104.16.2.35',
        port: 443,
        reason: 'SNI on the allowlist',
      },
      {
        time: NOW - 9_000,
        source: 'dns',
        verdict: 'allowed',
        name: 'registry.npmjs.org',
        address: '104.16.2.35',
        reason: 'on the allowlist',
      },
      {
        time: NOW - 61_000,
        source: 'proxy',
        verdict: 'refused',
        name: 'telemetry.example.net',
        address: '104.16.2.35',
        port: 443,
        reason: 'SNI not on the allowlist',
      },
      {
        time: NOW - 95_000,
        source: 'dns',
        verdict: 'refused',
        name: 'telemetry.example.net',
        address: '',
        reason: 'not on the allowlist',
      },
      {
        time: NOW - 140_000,
        source: 'nft',
        verdict: 'blocked',
        name: '',
        address: '169.254.169.254',
        port: 80,
        reason: 'metadata endpoint',
      },
    ],
  }),
  snapshots: (container) => ({
    view: 'snapshots',
    container,
    snapshots: [
      {
        name: 'snap-20261201-131502',
        createdAt: iso(NOW - 75 * 60_000),
        stateful: false,
        sizeBytes: 18e6,
      },
      {
        name: 'before-refactor',
        createdAt: iso(NOW - 20 * 60_000),
        stateful: false,
        sizeBytes: 42e6,
      },
    ],
  }),
};
