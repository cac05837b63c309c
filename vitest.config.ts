import { defineConfig } from 'vitest/config';

/**
 * Integration files that must run alone, after the parallel ones (`integration-serial`), and why.
 * Every other integration file runs in parallel with up to INTEGRATION_WORKERS others: each has
 * its own HOME (so its own monitor daemon) and its own container prefix (testbed.ts), and pinned
 * addresses are claimed safely across homes. The host has one DNS resolver port for allowlist
 * containers (the base chain's DNAT), and the first `coi monitor --daemon` of any file takes it:
 * the files that need their own resolver on it run here, once the parallel files' daemons are gone.
 */
const FREED_ADDRESS =
  'checks that no nft rules are left for the address its container had, and a freed address is ' +
  "the next one another file's launch pins (the highest free)";
const LOAD_FALSE_POSITIVES =
  'asserts no alert above info, and under parallel load boot-time work reads as a finding ' +
  '(seen: /etc/shadow read in a fork-bomb container, the benign container frozen in set-up)';

export const SERIAL_INTEGRATION: Record<string, string> = {
  'cli/commands/clean.test.ts':
    '`clean --orphans` removes host-wide leftovers (veths, nft rules of addresses no instance ' +
    "holds), and the ones it plants would go with any other launch's reconcile",
  'cli/commands/health-config.test.ts':
    '`health --fix` re-applies the host set-up (nft base, sysctls, bridge), and its allowlist ' +
    "probe needs the host's one DNS resolver port",
  'cli/commands/hosts.test.ts': FREED_ADDRESS,
  'cli/commands/run-threat-kill.test.ts': FREED_ADDRESS,
  'cli/commands/tui.test.ts': 'times a key press after 100 attach cycles (under 1 s)',
  'cli/commands/tui-incusd-restart.test.ts':
    'stops the shared incusd and starts it again: every other file would lose its daemon',
  'core/health/proxy-checks.test.ts':
    "holds the egress proxy's HTTPS any-name port (one per host) against a real daemon, which also binds the host's one DNS resolver port",
  'core/session/launch-rollback.test.ts': FREED_ADDRESS,
  'core/session/network.test.ts': "an allowlist session binds the host's one DNS resolver port",
  'security/attack-corpus.test.ts':
    "allowlist rows need the host's one DNS resolver port; rows catch attacks that live a few ms",
  'security/benign-corpus.test.ts': LOAD_FALSE_POSITIVES,
  'security/monitor/host-detectors.test.ts': LOAD_FALSE_POSITIVES,
  'security/monitor/network-tail.test.ts': "binds the host's one DNS resolver port",
  'security/network/allowlist.test.ts': "binds the host's one DNS resolver port",
  'security/proxy/egress-proxy.test.ts':
    "binds the host's one DNS resolver port, and stops and restarts the proxy behind it",
  'security/proxy/credential-inject.test.ts':
    "binds the host's one DNS resolver port, and stops and restarts the proxy behind it",
  'security/proxy/credential-inject-api-key.test.ts': "binds the host's one DNS resolver port",
  'security/proxy/credential-inject-open.test.ts':
    "binds the egress proxy's any-name ports (one pair per host), and stops and restarts it",
  'security/proxy/credential-inject-restricted.test.ts':
    "binds the host's one DNS resolver port and the gateway's 443 (the injection bed's servers)",
  'security/network/guard-lifecycle.test.ts':
    "cycles the rules of an address no instance pins, which any other launch's reconcile removes",
  'security/network/restricted.test.ts': 'times blocked connect() → kernel log (p95 under 100 ms)',
  'security/sources/exec-events.test.ts': 'must see every one of many processes that live ~10 ms',
};

const INTEGRATION_WORKERS = 3;
const serialFiles = Object.keys(SERIAL_INTEGRATION).map((f) => `test/integration/${f}`);

const integration = {
  environment: 'node' as const,
  globalSetup: ['test/helpers/globalSetup.ts'],
  testTimeout: 120_000,
  hookTimeout: 180_000,
  maxConcurrency: 2,
};

export default defineConfig({
  test: {
    reporters: ['default'],
    maxWorkers: INTEGRATION_WORKERS,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // Ink in a CI log writes no frame until it exits; `coi tui` loads it with these hidden
          // (cli/tui/interactive-ink.ts), and the UI tests render it as the room does.
          env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
        },
      },
      {
        test: {
          ...integration,
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          exclude: serialFiles,
          maxWorkers: INTEGRATION_WORKERS,
        },
      },
      {
        test: {
          ...integration,
          name: 'integration-serial',
          include: serialFiles,
          fileParallelism: false,
          // After the parallel files (and the unit tests), never beside them.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
