import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/core/config/index.js';
import { copyHostFiles } from '../../../../src/core/session/host-copies/copy-in.js';
import { planHostCopies } from '../../../../src/core/session/host-copies/plan.js';
import {
  planCredentialProxy,
  PROXY_SENTINEL,
  type CredentialProxy,
} from '../../../../src/core/session/launch/credential-proxy.js';
import { claude } from '../../../../src/core/tools/claude.js';
import type { ToolAdapter } from '../../../../src/core/tools/types.js';
import { Incus } from '../../../../src/incus/index.js';
import type { Alert } from '../../../../src/security/alert.js';
import type { AllowlistDns } from '../../../../src/security/monitor/allowlist-dns.js';
import { NetworkGuard } from '../../../../src/security/network/guard.js';
import { parseAllowlist, type NetworkPolicy } from '../../../../src/security/nft/index.js';
import {
  ALLOWLIST_BED_HOST,
  startAllowlistProxy,
  startInjectionBed,
  type InjectionBed,
  type ServedRequest,
} from '../../../helpers/injection-bed.js';
import { RESTRICTED, sh } from '../../../helpers/network-testbed.js';
import { containerPids, scanProcesses } from '../../../helpers/secret-scan.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { incusApis } from '../../../helpers/testbed.js';

/**
 * `[tool.claude] credentials = "proxy"` for a host logged in with an API key (primaryApiKey in
 * ~/.claude.json, no OAuth login), end to end on a real allowlist container: the rule, the
 * session variable and the copied files are what a launch plans (for a stand-in of Claude Code
 * whose API is api.test, an HTTPS server on the gateway with a test CA); the egress proxy runs as
 * the monitor daemon runs it. The container holds the sentinel key only.
 */

const ALLOWLIST = parseAllowlist(['allowed.test', 'api.test']);
const POLICY: NetworkPolicy = {
  ...RESTRICTED,
  mode: 'allowlist',
  allowLocalNetworkAccess: true,
  allowlist: ALLOWLIST,
};
const REAL = `sk-ant-api03-coi-real-${randomUUID()}`;
/** What the host's CLI keeps of the key when the user approved it: its last 20 characters. */
const REAL_TAIL = REAL.slice(-20);
const WRITABLE = '/etc /home /root /tmp /var /run /opt /srv';
/** Claude Code with its API at the stand-in's name. */
const STAND_IN: ToolAdapter = {
  ...claude,
  proxyLogins: claude.proxyLogins!.map((login) => ({ ...login, domain: 'api.test' })),
};

const guard = new NetworkGuard(ALLOWLIST_BED_HOST);
const work = mkdtempSync(join(tmpdir(), 'coi-inject-api-key-test-'));
const hostHome = mkdtempSync(join(tmpdir(), 'coi-inject-api-key-home-'));
const served: ServedRequest[] = [];
const records: { container: string; alert: Alert }[] = [];
let bed: InjectionBed | undefined;
let dns: AllowlistDns;
let agent: { name: string; ip: string };
let proxy: CredentialProxy;
/** The session's environment as the launch sets it, for the stand-in CLI. */
let envPrefix = '';

beforeAll(async () => {
  writeFileSync(
    join(hostHome, '.claude.json'),
    JSON.stringify({
      primaryApiKey: REAL,
      customApiKeyResponses: { approved: [REAL_TAIL], rejected: [] },
      userID: 'u',
    }),
  );
  const empty = mkdtempSync(join(tmpdir(), 'coi-inject-api-key-etc-'));
  const { config } = loadConfig({
    cwd: empty,
    home: empty,
    etcDir: empty,
    env: {},
    overrides: { tool: { claude: { credentials: 'proxy' } } },
  });
  proxy = planCredentialProxy(config, STAND_IN, POLICY, {}, hostHome)!;
  envPrefix = `export ${Object.entries(proxy.env)
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ')};`;
  bed = await startInjectionBed({
    work,
    token: 'unused',
    label: 'inject-api-key',
    guard,
    policy: POLICY,
    names: ['allowed.test', 'api.test'],
    served,
    inside: 'true',
    rules: proxy.rules,
  });
  ({ agent } = bed);
  const api = Incus.local();
  try {
    const copies = planHostCopies({
      tool: STAND_IN,
      bundles: [],
      permissionMode: 'bypass',
      hostHome,
      home: '/root',
      proxySentinel: proxy.loginSentinel!,
    });
    await copyHostFiles(api, agent.name, copies, 0);
  } finally {
    await api.close();
  }
  dns = await startAllowlistProxy({
    bed,
    work,
    domains: ALLOWLIST.domains,
    proxyPorts: { first: 41_300, count: 64 },
    onRecord: (container, alert) => records.push({ container, alert }),
  });
}, 120_000);

afterAll(async () => {
  await dns?.stop();
  await bed?.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(hostHome, { recursive: true, force: true });
});

/** As Claude Code sends its key: ANTHROPIC_API_KEY first, else primaryApiKey of ~/.claude.json. */
const FROM_ENV = `-H "x-api-key: $ANTHROPIC_API_KEY"`;
const FROM_FILE = `-H "x-api-key: $(sed -n 's/.*"primaryApiKey": *"\\([^"]*\\)".*/\\1/p' /root/.claude.json)"`;
const curl = (args: string) => sh(agent.name, `${envPrefix} curl -sS -m 5 ${args}`);

describe('an API-key login by the egress proxy, on a real allowlist container', () => {
  it('is planned as an x-api-key rule on the host key, the session holding the sentinel', () => {
    expect(proxy.rules).toEqual([
      {
        domain: 'api.test',
        header: 'x-api-key',
        source: { kind: 'file', path: join(hostHome, '.claude.json'), pointer: '/primaryApiKey' },
        format: '{}',
      },
    ]);
    expect(proxy.env.ANTHROPIC_API_KEY).toBe(PROXY_SENTINEL);
  });

  it('the server gets the real key for the sentinel from either place, recorded without it', async () => {
    const before = served.length;
    expect(await curl(`${FROM_ENV} https://api.test/`)).toMatchObject({
      code: 0,
      out: 'ok api.test',
    });
    expect(await curl(`${FROM_FILE} https://api.test/`)).toMatchObject({
      code: 0,
      out: 'ok api.test',
    });
    expect(served.slice(before).map((s) => [s.host, s.apiKey])).toEqual([
      ['api.test', REAL],
      ['api.test', REAL],
    ]);
    expect(records.at(-1)?.alert.description).toContain('x-api-key for api.test');
    expect(JSON.stringify(records)).not.toContain(REAL);
  });

  it('another allowed name gets the sentinel untouched', async () => {
    const before = served.length;
    expect(await curl(`${FROM_ENV} --cacert /tmp/test-ca.pem https://allowed.test/`)).toMatchObject(
      { code: 0, out: 'ok allowed.test' },
    );
    expect(served.slice(before).map((s) => [s.host, s.apiKey])).toEqual([
      ['allowed.test', PROXY_SENTINEL],
    ]);
  });

  it('leaves only the sentinel in the container: memory, environment, files', async () => {
    await sh(
      agent.name,
      `${envPrefix} nohup bash -c 'A=$(curl -sS -m 5 ${FROM_ENV} https://api.test/); sleep 300' >/dev/null 2>&1 &`,
    );
    const instance = await incusApis().instances.getFull(agent.name);
    const pids = () => containerPids(instance.state?.pid ?? 0);
    let sightings = scanProcesses(pids(), PROXY_SENTINEL);
    for (let i = 0; i < 50 && !sightings.some((s) => s.where === 'memory'); i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      sightings = scanProcesses(pids(), PROXY_SENTINEL);
    }
    expect(sightings.map((s) => s.where)).toEqual(expect.arrayContaining(['environ', 'memory']));
    expect(scanProcesses(pids(), REAL)).toEqual([]);
    expect(scanProcesses(pids(), REAL_TAIL)).toEqual([]);
    const files = (needle: string) =>
      sh(agent.name, `grep -rlFs -D skip -e '${needle}' ${WRITABLE} 2>/dev/null; true`);
    expect((await files(PROXY_SENTINEL)).out).toContain('/root/.claude.json');
    expect((await files(REAL_TAIL)).out).toBe('');
  });
});

describe('coi run with credentials = "proxy" and an API key on the host', () => {
  const toml =
    '[network]\nmode = "allowlist"\nallowed_domains = ["api.anthropic.com"]\n\n' +
    '[tool.claude]\ncredentials = "proxy"\n';
  const key = `sk-ant-api03-coi-run-${randomUUID()}`;

  it('says which login goes by the proxy, and the session holds the sentinel key only', async () => {
    ensureBuilt();
    const box = new CoiSandbox(toml);
    try {
      writeFileSync(join(box.home, '.claude.json'), JSON.stringify({ primaryApiKey: key }));
      const r = await box.run(['run', 'cat ~/.claude.json; echo "env=$ANTHROPIC_API_KEY"'], {
        cwd: box.workspace('api-key-run'),
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        'The claude login goes by the egress proxy: its API key (primaryApiKey in ~/.claude.json) ' +
          'is set as x-api-key for api.anthropic.com on the host; the container holds a sentinel',
      );
      expect(r.stdout).toContain(`"primaryApiKey": "${PROXY_SENTINEL}"`);
      expect(r.stdout).toContain(`env=${PROXY_SENTINEL}`);
      expect(r.stdout + r.stderr).not.toContain(key.slice(-20));
    } finally {
      await box.remove();
    }
  });

  it('a login variable forward_env or --env would bring in holds the sentinel or is dropped, said once', async () => {
    const box = new CoiSandbox(
      `${toml}\n[defaults]\nforward_env = ["CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY"]\n`,
    );
    const real = { oauth: `sk-ant-oat01-${randomUUID()}`, auth: `gateway-${randomUUID()}` };
    try {
      writeFileSync(join(box.home, '.claude.json'), JSON.stringify({ primaryApiKey: key }));
      const shown =
        'echo "oauth=$CLAUDE_CODE_OAUTH_TOKEN api=${ANTHROPIC_API_KEY-unset} auth=${ANTHROPIC_AUTH_TOKEN-unset}"';
      const r = await box.run(['run', '--env', `ANTHROPIC_AUTH_TOKEN=${real.auth}`, shown], {
        cwd: box.workspace('login-env-run'),
        env: { CLAUDE_CODE_OAUTH_TOKEN: real.oauth, ANTHROPIC_API_KEY: key },
      });
      expect(r.code, r.stderr).toBe(0);
      // The setup token is the OAuth login (before the API keys); the container sends the sentinel.
      expect(r.stderr).toContain(
        'its OAuth token (CLAUDE_CODE_OAUTH_TOKEN) is set as Authorization',
      );
      expect(r.stderr).toContain(
        "The session's environment would carry a login (CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_AUTH_TOKEN, ANTHROPIC_API_KEY); " +
          'it goes by the egress proxy, so inside CLAUDE_CODE_OAUTH_TOKEN holds the sentinel and ANTHROPIC_AUTH_TOKEN, ANTHROPIC_API_KEY are dropped',
      );
      expect(r.stdout).toContain(`oauth=${PROXY_SENTINEL} api=unset auth=unset`);
      for (const secret of [real.oauth, real.auth, key.slice(-20)])
        expect(r.stdout + r.stderr).not.toContain(secret);
    } finally {
      await box.remove();
    }
  });

  it("an env-sourced inject rule's variable that forward_env would bring in holds its sentinel or is dropped", async () => {
    const box = new CoiSandbox(
      '[network]\nmode = "allowlist"\nallowed_domains = ["api.github.com"]\n\n' +
        '[[network.proxy.inject]]\ndomain = "api.github.com"\nheader = "Authorization"\nformat = "Bearer {}"\nenv = "GH_TOKEN"\n\n' +
        '[[network.proxy.inject]]\ndomain = "api.github.com"\nheader = "X-K"\nenv = "K"\nsentinel = "fake-k"\n\n' +
        '[defaults]\nforward_env = ["GH_TOKEN", "K"]\n',
    );
    const real = { gh: `gh-${randomUUID()}`, k: `k-${randomUUID()}` };
    try {
      const r = await box.run(['run', 'echo "gh=${GH_TOKEN-unset} k=$K"'], {
        cwd: box.workspace('rule-env-run'),
        env: { GH_TOKEN: real.gh, K: real.k },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('gh=unset k=fake-k');
      for (const secret of [real.gh, real.k]) expect(r.stdout + r.stderr).not.toContain(secret);
    } finally {
      await box.remove();
    }
  });

  it('without a login on the host, exits 2 before any container, saying what to do', async () => {
    const box = new CoiSandbox(toml);
    try {
      const r = await box.run(['run', 'true'], { cwd: box.workspace('api-key-none') });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('tool.claude.credentials = "proxy": the host has no claude login');
      expect(r.stderr).toContain(
        'log in with `claude` on the host first (or export ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN or ANTHROPIC_API_KEY)',
      );
    } finally {
      await box.remove();
    }
  });
});
