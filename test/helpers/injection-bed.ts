import type { Socket as UdpSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';
import { installProxyCa } from '../../src/core/session/launch/credential-proxy.js';
import { Incus } from '../../src/incus/index.js';
import type { NetworkGuard } from '../../src/security/network/guard.js';
import type { NetworkPolicy } from '../../src/security/nft/index.js';
import { createProxyCa } from '../../src/security/proxy/inject/ca.js';
import type { OAuthRefresh } from '../../src/security/proxy/inject/rules.js';
import { injectionDir, writeInjectRules } from '../../src/security/proxy/inject/store.js';
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
 * How a renewable rule renews the bed's token file: never at its own endpoint (no such name), at
 * the stand-in the test gives the proxy (`loginTokenUrl`).
 */
const BED_LOGIN_REFRESH: OAuthRefresh = {
  tokenUrl: 'https://login.invalid/v1/oauth/token',
  clientId: 'coi-test-client',
  refreshPointer: '/oauth/refreshToken',
  expiresAtPointer: '/oauth/expiresAt',
};

/**
 * The host token in `work/token.json`, a stand-in DNS upstream, HTTPS servers on the gateway's 443
 * with a test CA for `names` (recording into `served`), and a guarded container holding the
 * container CA and an `Authorization` rule for api.test as a launch leaves them (`renewable`: an
 * OAuth login, BED_LOGIN_REFRESH), the test CA in /tmp/test-ca.pem, then `inside` run in it.
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
}): Promise<InjectionBed> {
  const { work, guard } = opts;
  const tokenFile = join(work, 'token.json');
  writeFileSync(tokenFile, JSON.stringify({ oauth: { accessToken: opts.token } }));
  const upstream = await startFakeUpstream(GATEWAY);
  const tls = await selfSignedCert(work, opts.names);
  const servers: Server[] = await startWebServers(
    GATEWAY,
    tls,
    { https: [443], http: [] },
    (host, req) => opts.served.push({ host, authorization: req.headers.authorization }),
  );
  const agent = await launchGuarded(opts.label, guard, opts.policy);
  const dir = injectionDir(work, agent.name);
  await createProxyCa(dir, agent.name);
  await writeInjectRules(dir, [
    {
      domain: 'api.test',
      header: 'Authorization',
      source: {
        kind: 'file',
        path: tokenFile,
        pointer: '/oauth/accessToken',
        ...(opts.renewable ? { refresh: BED_LOGIN_REFRESH } : {}),
      },
      format: 'Bearer {}',
    },
  ]);
  // The container trusts its CA as a launch installs it, and the test CA for the other names only.
  const api = Incus.local();
  await installProxyCa(api, work, agent.name).finally(() => api.close());
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
