import type { Socket as UdpSocket } from 'node:dgram';
import type { Server } from 'node:http';
import { expect } from 'vitest';
import type { NetworkGuard } from '../../src/security/network/guard.js';
import type { Alert } from '../../src/security/alert.js';
import { DEFAULT_RESOLVER_PORT } from '../../src/security/dns/resolver.js';
import {
  AllowlistDns,
  type AllowlistDnsOptions,
} from '../../src/security/monitor/allowlist-dns.js';
import type { NetworkDecision } from '../../src/security/monitor/network-tail.js';
import type { HostNetwork, NetworkPolicy } from '../../src/security/nft/index.js';
import type { AllowlistDomain } from '../../src/security/nft/policy.js';
import type { InjectRule } from '../../src/security/proxy/inject/rules.js';
import { injectionDir, loadInjection } from '../../src/security/proxy/inject/store.js';
import type { RecordedAnyNameProxy } from '../../src/shared/instance-keys.js';
import { equipInjection } from './injection-rule.js';
import { launchGuarded, sh } from './network-testbed.js';
import { selfSignedCert, startFakeUpstream, startWebServers } from './proxy-bed.js';
import { BRIDGE, GATEWAY } from './testbed.js';

/** What a request to the stand-in servers carried. */
export interface ServedRequest {
  host: string;
  authorization: string | undefined;
  /** The API-key header (absent from the record when the request had none). */
  apiKey?: string | undefined;
}

/** A credential-injection test's parts; `close` takes them down (the proxy is the test's own). */
export interface InjectionBed {
  upstream: UdpSocket;
  testCa: string;
  agent: { name: string; ip: string };
  close(): Promise<void>;
}

/**
 * The host token in `work/token.json`, a stand-in DNS upstream, HTTPS servers on the gateway's 443
 * with a test CA for `names` (recording into `served`), and a guarded container holding the
 * container CA and its rules as a launch leaves them (default: an `Authorization` rule for
 * api.test from the token file; `renewable`: an OAuth login — see equipInjection), the test CA in
 * /tmp/test-ca.pem, then `inside` run in it.
 */
export async function startInjectionBed(opts: {
  work: string;
  token: string;
  label: string;
  guard: NetworkGuard;
  policy: NetworkPolicy;
  names: string[];
  served: ServedRequest[];
  inside: string;
  renewable?: boolean;
  rules?: InjectRule[];
  /** A name's own address from the stand-in upstream (default: the gateway's), asked per query. */
  addressOf?: (name: string) => string | undefined;
}): Promise<InjectionBed> {
  const { work, guard } = opts;
  const upstream = await startFakeUpstream(GATEWAY, opts.addressOf);
  const tls = await selfSignedCert(work, opts.names);
  const servers: Server[] = await startWebServers(
    GATEWAY,
    tls,
    { https: [443], http: [] },
    (host, req) =>
      opts.served.push({
        host,
        authorization: req.headers.authorization,
        apiKey: req.headers['x-api-key'] as string | undefined,
      }),
  );
  const agent = await launchGuarded(opts.label, guard, opts.policy);
  // The container trusts its CA as a launch installs it, and the test CA for the other names only.
  await equipInjection(work, agent.name, opts.token, {
    ...(opts.renewable ? { renewable: true } : {}),
    ...(opts.rules ? { rules: opts.rules } : {}),
  });
  const installed = await sh(
    agent.name,
    `cat > /tmp/test-ca.pem <<'EOF'\n${tls.cert}EOF\n${opts.inside}`,
  );
  expect(installed.code, installed.err).toBe(0);
  return {
    upstream,
    testCa: tls.cert,
    agent,
    close: async () => {
      upstream.close();
      for (const server of servers) server.close();
      await guard.release(agent.ip);
    },
  };
}

/** The host side of an allowlist bed: coi's resolver on the gateway and the egress proxy. */
export const ALLOWLIST_BED_HOST: HostNetwork = {
  bridge: BRIDGE,
  gateway: GATEWAY,
  resolver: { address: GATEWAY, port: DEFAULT_RESOLVER_PORT },
  egressProxy: true,
};

/** What the daemon's resolver and proxy take from the bed, for both of the starters below. */
function bedProxyOptions(
  bed: InjectionBed,
  work: string,
): Pick<
  AllowlistDnsOptions,
  'refreshIntervalMinutes' | 'noSni' | 'upstream' | 'injectionOf' | 'log'
> {
  return {
    refreshIntervalMinutes: 0,
    noSni: 'refuse',
    upstream: { address: '127.0.0.1', port: bed.upstream.address().port },
    injectionOf: (container) => loadInjection(injectionDir(work, container)),
    log: () => undefined,
  };
}

/**
 * coi's resolver and egress proxy as the monitor daemon runs them (the container's CA and rules
 * read from its directory under `work`), started, with the bed's container on `domains`.
 */
export async function startAllowlistProxy(opts: {
  bed: InjectionBed;
  work: string;
  domains: AllowlistDomain[];
  proxyPorts: { first: number; count: number };
  onRecord: (container: string, alert: Alert) => void;
  /** A stand-in OAuth token endpoint, with the CA of its certificate. */
  login?: { tokenUrl: string; ca: string };
}): Promise<AllowlistDns> {
  const { bed, work } = opts;
  const started = new AllowlistDns({
    ...bedProxyOptions(bed, work),
    host: ALLOWLIST_BED_HOST,
    proxyPorts: opts.proxyPorts,
    upstreamCa: [bed.testCa, ...(opts.login ? [opts.login.ca] : [])],
    ...(opts.login ? { loginTokenUrl: opts.login.tokenUrl } : {}),
    onAlert: () => undefined,
    onRecord: opts.onRecord,
  });
  await started.start();
  started.add(bed.agent.ip, bed.agent.name, opts.domains);
  return started;
}

/**
 * The same for an `inject_in_open` container (`host` has the any-name ports): started, with the
 * bed's container registered as the daemon registers it, with the blocks its launch recorded.
 */
export async function startAnyNameProxy(opts: {
  bed: InjectionBed;
  work: string;
  host: HostNetwork;
  proxyPorts: { first: number; count: number };
  blocks: RecordedAnyNameProxy;
  onDecision: (decision: NetworkDecision) => void;
  onAlert?: (alert: Alert) => void;
}): Promise<AllowlistDns> {
  const { bed, work } = opts;
  const started = new AllowlistDns({
    ...bedProxyOptions(bed, work),
    host: opts.host,
    proxyPorts: opts.proxyPorts,
    upstreamCa: [bed.testCa],
    onAlert: (_container, alert) => opts.onAlert?.(alert),
    onDecision: (_container, _ip, decision) => opts.onDecision(decision),
  });
  await started.start();
  started.add(bed.agent.ip, bed.agent.name, [], { anyName: opts.blocks });
  return started;
}

/** The host side of an any-name bed: the egress proxy on the gateway, on the test's own ports. */
export function anyNameBedHost(ports: Readonly<Record<80 | 443, number>>): HostNetwork {
  return { bridge: BRIDGE, gateway: GATEWAY, egressProxy: true, anyNamePorts: ports };
}

/** `curl` in the container, sending the sentinel in `Authorization` as the CLI inside would. */
export function sentinelCurl(
  container: () => string,
  sentinel: string,
): (args: string) => Promise<{ code: number; out: string; err: string }> {
  return (args) => sh(container(), `curl -sS -m 5 -H 'Authorization: Bearer ${sentinel}' ${args}`);
}

/**
 * Through an any-name proxy, the inject name (api.test) arrives with the real header and another
 * name (other.test) with the sentinel and its own certificate; the tail's last decision says why
 * other.test passed.
 */
export async function expectInjectedAndSpliced(opts: {
  curl: (args: string) => Promise<{ code: number; out: string; err: string }>;
  served: ServedRequest[];
  decisions: NetworkDecision[];
  real: string;
  sentinel: string;
}): Promise<void> {
  const { curl, served } = opts;
  const before = served.length;
  expect(await curl('https://api.test/')).toMatchObject({ code: 0, out: 'ok api.test' });
  const issuer = /issuer: (.*)/.exec(
    (await curl('-v --cacert /tmp/test-ca.pem https://other.test/')).err,
  );
  expect(issuer?.[1]?.trim()).toBe('CN=other.test');
  expect(served.slice(before)).toEqual([
    { host: 'api.test', authorization: `Bearer ${opts.real}` },
    { host: 'other.test', authorization: `Bearer ${opts.sentinel}` },
  ]);
  expect(opts.decisions.at(-1)).toMatchObject({
    source: 'proxy',
    verdict: 'allowed',
    name: 'other.test',
    address: GATEWAY,
    reason: 'SNI "other.test": every name passes (inject_in_open)',
  });
}
