import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncusApi } from '../../src/incus/index.js';
import { DEFAULT_RESOLVER_PORT, DnsResolver } from '../../src/security/dns/index.js';
import type { MonitorDaemon } from '../../src/security/monitor/daemon.js';
import type { NetworkGuard } from '../../src/security/network/guard.js';
import {
  EMPTY_ALLOWLIST,
  parseAllowlist,
  type NetworkPolicy,
} from '../../src/security/nft/index.js';
import { plantCanaries } from '../../src/security/sources/canaries.js';
import {
  attackCommand,
  type AttackRow,
  type Setup,
  type Target,
} from '../integration/security/attack-corpus-table.js';

/**
 * Runs rows of the attack corpus: the container set-up a row needs, and the attack itself. Shared
 * by the corpus test and bench/containment.ts, so it takes its Incus, daemon and guard as
 * arguments (the bench runs outside vitest, without the test bed's environment).
 */

export const CORPUS_RESTRICTED: NetworkPolicy = {
  mode: 'restricted',
  allowlist: EMPTY_ALLOWLIST,
  allowLocalNetworkAccess: false,
  blockPrivateNetworks: true,
  blockMetadataEndpoint: true,
  logging: { ratePerSecond: 100, connections: false, dnsQueries: false },
};

const CORPUS_ALLOWLIST: NetworkPolicy = {
  ...CORPUS_RESTRICTED,
  mode: 'allowlist',
  allowLocalNetworkAccess: true,
  allowlist: parseAllowlist(['allowed.test']),
};

export const policyFor = (setup: Setup): NetworkPolicy =>
  setup === 'allowlist' ? CORPUS_ALLOWLIST : CORPUS_RESTRICTED;

/** Bigger than the default 50 MB read and write thresholds, read at well over 10 MB/s. */
const BIG_FILE_BYTES = 200 * 1024 * 1024;

/**
 * What a row needs inside a launched, watched container beyond its network policy: canaries
 * watched from the host, or a big file pushed by Incus (so only the container's read of it is
 * the container's I/O) and the I/O boot grace waited out.
 */
export async function prepareRow(
  incus: IncusApi,
  daemon: MonitorDaemon,
  name: string,
  setup: Setup,
  ioGraceMs: number,
): Promise<void> {
  if (setup === 'canaries') {
    await plantCanaries(incus, name, '/home/code', 1000);
    const watch = await daemon.watchOf(name);
    for (let i = 0; i < 150 && (await watch.canariesReady()).length < 3; i++) await sleep(100);
  }
  if (setup === 'big-file') {
    await incus.files.push(name, '/var/tmp/big', randomBytes(BIG_FILE_BYTES));
    execFileSync('sync');
    await sleep(ioGraceMs);
  }
}

const STAMPED_RUN = '/tmp/stamped-run.sh';

/**
 * Starts a row's attack without waiting for it (it blocks, or dies with its container). Again
 * when Incus could not start the exec (-1, which happens now and then), unless it ran a while or
 * `seen()` says the monitor noticed already. With `stamp`, a script pushed for it first writes
 * `date +%s%N` to that container path, then execs the row's argv unchanged.
 */
export async function fireRow(
  incus: Pick<IncusApi, 'files' | 'exec'>,
  name: string,
  row: AttackRow,
  target: Target,
  opts: { stamp?: string; seen?: () => Promise<boolean> } = {},
): Promise<void> {
  const { file, argv } = attackCommand(row, target);
  if (file) await incus.files.push(name, file.path, Buffer.from(file.text));
  let command = argv;
  if (opts.stamp) {
    // From a file: on the stamping shell's own command line a one-liner would be caught (and its
    // container frozen) before the stamp is written.
    const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const text = `date +%s%N > ${opts.stamp}\nexec ${quoted}\n`;
    await incus.files.push(name, STAMPED_RUN, Buffer.from(text));
    command = ['sh', STAMPED_RUN];
  }
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = Date.now();
    const r = await incus.exec.run(name, command).catch(() => undefined);
    if (r?.exitCode !== -1 || Date.now() - started > 2000) return;
    if (opts.seen && (await opts.seen())) return;
  }
}

/**
 * coi's DNS resolver at the gateway for allowlist rows, reporting to the daemon as the real
 * monitor daemon's does. Its upstream is never asked: no row resolves an allowed name.
 */
export async function startCorpusResolver(
  gateway: string,
  guard: NetworkGuard,
  daemon: MonitorDaemon,
): Promise<DnsResolver> {
  const resolver = new DnsResolver({
    listen: { address: gateway, port: DEFAULT_RESOLVER_PORT },
    upstream: { address: '127.0.0.1', port: 9 },
    policyOf: (ip) => guard.resolverPolicy(ip),
    learn: (ip, learned, timeoutSec) => guard.learn(ip, learned, timeoutSec),
    onAlert: ({ container, alert }) => daemon.report(container, alert),
  });
  await resolver.start();
  return resolver;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The toolchain's biggest files (node is 99 MB), read from the host into the page cache, so the
 * container's first run of them is not a cold read of 60 MB or more, which the read-volume check
 * takes for a mass read (a known false positive: the check sees the container's block I/O, not
 * which files it reads). The host's reads are not the container's I/O.
 */
export async function warmPageCache(incus: IncusApi, name: string): Promise<void> {
  const listed = await incus.exec.run(name, [
    'sh',
    '-c',
    'for t in node as ld; do readlink -f "$(command -v $t)"; done; ' +
      'command -v cc >/dev/null && cc -print-prog-name=cc1; echo /usr/share/nodejs; true',
  ]);
  const root = `/proc/${(await incus.instances.state(name)).pid}/root`;
  const files = listed.stdout
    .toString()
    .split('\n')
    .filter((f) => f.startsWith('/'));
  execFileSync('sh', [
    '-c',
    `cd ${root} && find ${files.map((f) => `.${f}`).join(' ')} -type f -exec cat {} + >/dev/null 2>&1; true`,
  ]);
}
