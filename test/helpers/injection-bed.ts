import type { Socket as UdpSocket } from 'node:dgram';
import type { Server } from 'node:http';
import { expect } from 'vitest';
import type { NetworkGuard } from '../../src/security/network/guard.js';
import type { NetworkPolicy } from '../../src/security/nft/index.js';
import { equipInjection } from './injection-rule.js';
import { launchGuarded, sh } from './network-testbed.js';
import { selfSignedCert, startFakeUpstream, startWebServers } from './proxy-bed.js';
import { GATEWAY } from './testbed.js';

/** What a request to the stand-in servers carried. */
export interface ServedRequest {
  host: string;
  authorization: string | undefined;
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
 * container CA and an `Authorization` rule for api.test as a launch leaves them, the test CA in
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
}): Promise<InjectionBed> {
  const { work, guard } = opts;
  const upstream = await startFakeUpstream(GATEWAY);
  const tls = await selfSignedCert(work, opts.names);
  const servers: Server[] = await startWebServers(
    GATEWAY,
    tls,
    { https: [443], http: [] },
    (host, req) => opts.served.push({ host, authorization: req.headers.authorization }),
  );
  const agent = await launchGuarded(opts.label, guard, opts.policy);
  // The container trusts its CA as a launch installs it, and the test CA for the other names only.
  await equipInjection(work, agent.name, opts.token);
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
