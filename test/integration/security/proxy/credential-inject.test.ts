import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../../src/security/alert.js';
import type { AllowlistDns } from '../../../../src/security/monitor/allowlist-dns.js';
import { NetworkGuard } from '../../../../src/security/network/guard.js';
import { parseAllowlist } from '../../../../src/security/nft/index.js';
import {
  ALLOWLIST_BED_HOST,
  startAllowlistProxy,
  startInjectionBed,
  type InjectionBed,
  type ServedRequest,
} from '../../../helpers/injection-bed.js';
import { RESTRICTED, sh } from '../../../helpers/network-testbed.js';
import { selfSignedCert } from '../../../helpers/proxy-bed.js';
import { containerPids, scanProcesses } from '../../../helpers/secret-scan.js';
import { incusApis } from '../../../helpers/testbed.js';

/**
 * Credential injection end to end on a real allowlist container: the egress proxy as the monitor
 * daemon runs it (AllowlistDns, the container's CA and rules read from its directory as the
 * daemon reads them), and HTTPS servers on the gateway with a test CA standing in for an API
 * (api.test, an inject name) and for another allowed service (allowed.test). The container holds
 * a sentinel only; the real token is in a host file.
 */

const PROXY_PORTS = { first: 41_100, count: 64 };
const ALLOWLIST = parseAllowlist(['allowed.test', 'api.test']);
const REAL = `coi-real-${randomUUID()}`;
const SENTINEL = `coi-sentinel-${randomUUID()}`;
/** Where anything written at run time lands (the image's /usr is large and read-only here). */
const WRITABLE = '/etc /home /root /tmp /var /run /opt /srv';

const guard = new NetworkGuard(ALLOWLIST_BED_HOST);
const work = mkdtempSync(join(tmpdir(), 'coi-inject-test-'));
/** What the servers received: Host and Authorization of each request. */
const served: ServedRequest[] = [];
const records: { container: string; alert: Alert }[] = [];
let bed: InjectionBed | undefined;
let dns: AllowlistDns;
let agent: { name: string; ip: string };
/** A stand-in OAuth token endpoint on the host's loopback, and the grants it was asked for. */
let tokenEndpoint: Server | undefined;
let tokenCa = '';
const grants: Record<string, unknown>[] = [];
const RENEWED = `coi-renewed-${randomUUID()}`;

const startProxy = () =>
  startAllowlistProxy({
    bed: bed!,
    work,
    domains: ALLOWLIST.domains,
    proxyPorts: PROXY_PORTS,
    login: {
      tokenUrl: `https://localhost:${(tokenEndpoint!.address() as AddressInfo).port}/v1/oauth/token`,
      ca: tokenCa,
    },
    onRecord: (container, alert) => records.push({ container, alert }),
  });

beforeAll(async () => {
  mkdirSync(join(work, 'token-endpoint'));
  const tls = await selfSignedCert(join(work, 'token-endpoint'), ['localhost']);
  tokenCa = tls.cert;
  tokenEndpoint = createServer(tls, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      grants.push(JSON.parse(body) as Record<string, unknown>);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: RENEWED, refresh_token: 'rt-2', expires_in: 28_800 }));
    });
  });
  await new Promise<void>((resolve) => tokenEndpoint!.listen(0, '127.0.0.1', resolve));
  bed = await startInjectionBed({
    renewable: true,
    work,
    token: REAL,
    label: 'inject-agent',
    guard,
    policy: {
      ...RESTRICTED,
      mode: 'allowlist',
      allowLocalNetworkAccess: true,
      allowlist: ALLOWLIST,
    },
    names: ['allowed.test', 'api.test'],
    served,
    inside: `mkdir -p /root/.agent && echo '{"accessToken":"${SENTINEL}"}' > /root/.agent/login.json`,
  });
  ({ agent } = bed);
  dns = await startProxy();
}, 120_000);

afterAll(async () => {
  tokenEndpoint?.close();
  await dns?.stop();
  await bed?.close();
  rmSync(work, { recursive: true, force: true });
});

async function curl(args: string): Promise<{ code: number; out: string; err: string }> {
  return sh(agent.name, `curl -sS -m 5 -H 'Authorization: Bearer ${SENTINEL}' ${args}`);
}

describe('credential injection on a real allowlist container', () => {
  it('sets the real header for the inject name, and records it without the secret', async () => {
    const before = served.length;
    expect(await curl('https://api.test/')).toMatchObject({ code: 0, out: 'ok api.test' });
    expect(served.slice(before)).toEqual([{ host: 'api.test', authorization: `Bearer ${REAL}` }]);
    expect(records.at(-1)).toMatchObject({
      container: agent.name,
      alert: {
        level: 'info',
        title: 'Credential injected by the egress proxy',
        evidence: { network: { src_ip: agent.ip, dst_port: 443 } },
      },
    });
    expect(records.at(-1)?.alert.description).toContain('Authorization for api.test');
    expect(JSON.stringify(records)).not.toContain(REAL);
    expect(dns.proxyStatus()).toMatchObject({ injected: 1 });
  });

  it('terminates TLS for the inject name with the container CA, splices the other untouched', async () => {
    const before = served.length;
    const issuer = async (args: string) =>
      /issuer: (.*)/.exec((await curl(`-v ${args}`)).err)?.[1]?.trim();
    expect(await issuer('https://api.test/')).toBe(`CN=coi egress proxy ${agent.name}`);
    // The real server's own certificate: nothing terminated it, and its header went through as sent.
    expect(await issuer('--cacert /tmp/test-ca.pem https://allowed.test/')).toBe('CN=allowed.test');
    expect(served.slice(before)).toEqual([
      { host: 'api.test', authorization: `Bearer ${REAL}` },
      { host: 'allowed.test', authorization: `Bearer ${SENTINEL}` },
    ]);
  });

  it('leaves only the sentinel in the container: memory, environment, files', async () => {
    // A process that made a request and lives on, holding its answer and the sentinel.
    await sh(
      agent.name,
      `COI_TOKEN=${SENTINEL} nohup bash -c 'A=$(curl -sS -m 5 -H "Authorization: Bearer $COI_TOKEN" https://api.test/); sleep 300' >/dev/null 2>&1 &`,
    );
    const instance = await incusApis().instances.getFull(agent.name);
    const pids = containerPids(instance.state?.pid ?? 0);
    const sentinel = await eventuallyFound(pids, SENTINEL);
    expect(sentinel.map((s) => s.where).sort()).toEqual(
      expect.arrayContaining(['environ', 'memory']),
    );
    expect(scanProcesses(containerPids(instance.state?.pid ?? 0), REAL)).toEqual([]);
    const files = (needle: string) =>
      sh(agent.name, `grep -rlFs -D skip -e '${needle}' ${WRITABLE} 2>/dev/null; true`);
    expect((await files(SENTINEL)).out).toContain('/root/.agent/login.json');
    expect((await files(REAL)).out).toBe('');
  });

  it('fails closed while the proxy is down and injects again once it restarts', async () => {
    await dns.stop();
    const before = served.length;
    expect((await curl('https://api.test/')).code).not.toBe(0);
    expect(served.slice(before)).toEqual([]);
    dns = await startProxy();
    expect(await curl('https://api.test/')).toMatchObject({ code: 0, out: 'ok api.test' });
    expect(served.slice(before)).toEqual([{ host: 'api.test', authorization: `Bearer ${REAL}` }]);
  });

  it('sets the real header on a WebSocket upgrade, then relays the switched stream both ways', async () => {
    const before = served.length;
    // A raw upgrade from the container (trusting the system's CAs, so its coi CA): after the 101
    // the stand-in echoes what it is sent.
    const client = [
      'import socket, ssl',
      "s = ssl.create_default_context().wrap_socket(socket.create_connection(('api.test', 443), timeout=5), server_hostname='api.test')",
      `s.sendall(b'GET /ws HTTP/1.1\\r\\nHost: api.test\\r\\nConnection: Upgrade\\r\\nUpgrade: websocket\\r\\nAuthorization: Bearer ${SENTINEL}\\r\\n\\r\\n')`,
      "got = b''",
      "while b'\\r\\n\\r\\n' not in got: got += s.recv(4096)",
      "s.sendall(b'ping-from-the-container')",
      "while not got.endswith(b'ping-from-the-container'): got += s.recv(4096)",
      'print(got.decode())',
    ].join('\n');
    const run = await sh(agent.name, `python3 - <<'EOF'\n${client}\nEOF`);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(
      /^HTTP\/1\.1 101 Switching Protocols\r\n[^]*\r\n\r\nping-from-the-container\n$/,
    );
    expect(served.slice(before)).toEqual([{ host: 'api.test', authorization: `Bearer ${REAL}` }]);
    expect(records.at(-1)?.alert).toMatchObject({
      level: 'info',
      title: 'Credential injected by the egress proxy',
    });
    expect(records.at(-1)?.alert.description).toContain('on an upgrade request (websocket)');
  });

  it('renews an expired host login on the host: the API gets the new token, the host file holds it', async () => {
    const tokenFile = join(work, 'token.json');
    const login = { accessToken: REAL, refreshToken: 'rt-1', expiresAt: Date.now() - 60_000 };
    writeFileSync(tokenFile, JSON.stringify({ oauth: login, plan: 'kept' }));
    chmodSync(tokenFile, 0o600);
    const before = served.length;
    expect(await curl('https://api.test/')).toMatchObject({ code: 0, out: 'ok api.test' });
    expect(served.slice(before)).toEqual([
      { host: 'api.test', authorization: `Bearer ${RENEWED}` },
    ]);
    expect(grants).toEqual([
      { grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'coi-test-client' },
    ]);
    expect(JSON.parse(readFileSync(tokenFile, 'utf8'))).toEqual({
      oauth: { accessToken: RENEWED, refreshToken: 'rt-2', expiresAt: expect.any(Number) },
      plan: 'kept',
    });
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(records.at(-2)?.alert).toMatchObject({
      level: 'info',
      title: 'Host login renewed by the egress proxy',
    });
    expect(JSON.stringify(records)).not.toContain(RENEWED);
    // Renewed once: the next request sends the new token as it is.
    await curl('https://api.test/');
    expect(served.at(-1)?.authorization).toBe(`Bearer ${RENEWED}`);
    expect(grants).toHaveLength(1);
    const files = await sh(agent.name, `grep -rlFs -D skip -e '${RENEWED}' ${WRITABLE}; true`);
    expect(files.out).toBe('');
  });
});

/** The sentinel's sightings, once the background request has been answered. */
async function eventuallyFound(pids: number[], needle: string) {
  for (let i = 0; i < 50; i += 1) {
    const found = scanProcesses(pids, needle);
    if (found.some((s) => s.where === 'memory') && served.at(-1)?.host === 'api.test') return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  return scanProcesses(pids, needle);
}
