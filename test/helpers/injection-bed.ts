import type { Socket as UdpSocket } from 'node:dgram';
import type { Server } from 'node:http';
import { expect } from 'vitest';
import type { NetworkGuard } from '../../src/security/network/guard.js';
import type { Alert } from '../../src/security/alert.js';
import { DEFAULT_RESOLVER_PORT } from '../../src/security/dns/resolver.js';
import { AllowlistDns } from '../../src/security/monitor/allowlist-dns.js';
import type { HostNetwork, NetworkPolicy } from '../../src/security/nft/index.js';
import type { AllowlistDomain } from '../../src/security/nft/policy.js';
import type { InjectRule } from '../../src/security/proxy/inject/rules.js';
import { injectionDir, loadInjection } from '../../src/security/proxy/inject/store.js';
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
}): Promise<InjectionBed> {
  const { work, guard } = opts;
  const upstream = await startFakeUpstream(GATEWAY);
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
    host: ALLOWLIST_BED_HOST,
    refreshIntervalMinutes: 0,
    noSni: 'refuse',
    upstream: { address: '127.0.0.1', port: bed.upstream.address().port },
    proxyPorts: opts.proxyPorts,
    injectionOf: (container) => loadInjection(injectionDir(work, container)),
    upstreamCa: [bed.testCa, ...(opts.login ? [opts.login.ca] : [])],
    ...(opts.login ? { loginTokenUrl: opts.login.tokenUrl } : {}),
    onAlert: () => undefined,
    onRecord: opts.onRecord,
    log: () => undefined,
  });
  await started.start();
  started.add(bed.agent.ip, bed.agent.name, opts.domains);
  return started;
}
