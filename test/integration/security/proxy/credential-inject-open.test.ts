import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllowlistDns } from '../../../../src/security/monitor/allowlist-dns.js';
import type { NetworkDecision } from '../../../../src/security/monitor/network-tail.js';
import { NetworkGuard } from '../../../../src/security/network/guard.js';
import { CoiSandbox } from '../../../helpers/coi-cli.js';
import {
  anyNameBedHost,
  expectInjectedAndSpliced,
  sentinelCurl,
  startAnyNameProxy,
  startInjectionBed,
  type InjectionBed,
  type ServedRequest,
} from '../../../helpers/injection-bed.js';
import { RESTRICTED, sh } from '../../../helpers/network-testbed.js';
import { GATEWAY } from '../../../helpers/testbed.js';

/**
 * `[network.proxy] inject_in_open` on a real open-mode container: its HTTP(S) goes to the egress
 * proxy's any-name ports (ports of this test's own, so a monitor daemon on the host is not in the
 * way), every name passes, and the inject name gets the real header. The container finds the
 * names in its /etc/hosts (open mode uses no coi resolver); the proxy resolves them through a
 * stand-in upstream. HTTPS servers on the gateway with a test CA stand in for the API (api.test)
 * and for any other service (other.test).
 */

const HOST = anyNameBedHost({ 80: 41_180, 443: 41_181 });
const REAL = `coi-real-${randomUUID()}`;
const SENTINEL = `coi-sentinel-${randomUUID()}`;

const guard = new NetworkGuard(HOST);
const work = mkdtempSync(join(tmpdir(), 'coi-inject-open-test-'));
const served: ServedRequest[] = [];
let bed: InjectionBed | undefined;
let dns: AllowlistDns;
let agent: { name: string; ip: string };
const decisions: NetworkDecision[] = [];

function startProxy(): Promise<AllowlistDns> {
  return startAnyNameProxy({
    bed: bed!,
    work,
    host: HOST,
    proxyPorts: { first: 41_200, count: 16 },
    blocks: { metadata: false, private: false },
    onDecision: (decision) => decisions.push(decision),
  });
}

beforeAll(async () => {
  bed = await startInjectionBed({
    work,
    token: REAL,
    label: 'inject-open',
    guard,
    policy: {
      ...RESTRICTED,
      mode: 'open',
      anyNameProxy: true,
    },
    names: ['other.test', 'api.test'],
    served,
    inside: `echo '${GATEWAY} api.test other.test' >> /etc/hosts`,
  });
  ({ agent } = bed);
  dns = await startProxy();
}, 120_000);

afterAll(async () => {
  await dns?.stop();
  await bed?.close();
  rmSync(work, { recursive: true, force: true });
});

const curl = sentinelCurl(() => agent.name, SENTINEL);

describe('credential injection in open mode (inject_in_open)', () => {
  it('sets the real header for the inject name; another name passes untouched', async () => {
    await expectInjectedAndSpliced({ curl, served, decisions, real: REAL, sentinel: SENTINEL });
    expect(dns.proxyStatus()).toMatchObject({ injected: 1 });
    const files = await sh(agent.name, `grep -rlFs -D skip -e '${REAL}' /etc /root /tmp; true`);
    expect(files.out).toBe('');
  });

  it('fails closed while the proxy is down and injects again once it restarts', async () => {
    await dns.stop();
    const before = served.length;
    expect((await curl('https://api.test/')).code).not.toBe(0);
    expect((await curl('--cacert /tmp/test-ca.pem https://other.test/')).code).not.toBe(0);
    expect(served.slice(before)).toEqual([]);
    dns = await startProxy();
    expect(await curl('https://api.test/')).toMatchObject({ code: 0, out: 'ok api.test' });
    expect(served.slice(before)).toEqual([{ host: 'api.test', authorization: `Bearer ${REAL}` }]);
  });
});

describe('credential injection in open mode without the opt-in', () => {
  it('is refused at launch with exit 2, naming inject_in_open, before any container', async () => {
    const box = new CoiSandbox(
      '[network]\nmode = "open"\n\n[[network.proxy.inject]]\ndomain = "api.test"\n' +
        'header = "Authorization"\ncommand = "echo x"\n',
    );
    try {
      const r = await box.run(['run', 'true'], { cwd: box.workspace('inject-open-refused') });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('network.proxy.inject needs network.mode = "allowlist"');
      expect(r.stderr).toContain('inject_in_open = true');
    } finally {
      await box.remove();
    }
  });
});
