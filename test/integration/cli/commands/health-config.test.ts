import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagesApi } from '../../../../src/incus/images.js';
import { ensureMonitorDaemon } from '../../../../src/security/monitor/ensure.js';
import { ask } from '../../../../src/security/monitor/singleton.js';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import {
  BASE_IMAGE,
  deleteTestContainer,
  incus,
  launchTestContainer,
} from '../../../helpers/testbed.js';

let sandbox: CoiSandbox;

beforeAll(() => {
  ensureBuilt();
  sandbox = new CoiSandbox('[network]\nmode = "restricted"\n');
});

afterAll(async () => {
  await sandbox.remove();
});

const coi = (args: string[]) => sandbox.run(args, { cwd: sandbox.root });
const EXIT = { healthy: 0, degraded: 1, unhealthy: 2 } as const;

interface Report {
  status: keyof typeof EXIT;
  checks: Record<string, { name: string; status: string; message: string }>;
  summary: { total: number; passed: number; warnings: number; failed: number };
}

describe('coi health', () => {
  it('reports every check as JSON with an exit code matching the verdict', async () => {
    const r = await coi(['health', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(r.code).toBe(EXIT[report.status]);
    for (const key of [
      'os',
      'kernel_version',
      'kernel_limits',
      'incus',
      'permissions',
      'image',
      'image_age',
      'privileged_profile',
      'security_posture',
      'network_bridge',
      'ip_forwarding',
      'nft',
      'coi_directory',
      'sessions_directory',
      'incus_storage_pools',
      'config',
      'network_mode',
      'tool',
      'active_containers',
      'saved_sessions',
      'orphaned_resources',
      'container_connectivity',
      'network_restriction',
      'disk_space',
      'monitoring_daemon',
      'tool_login',
      'host_files',
    ])
      expect(report.checks[key]?.status, key).toMatch(/^(ok|warning|failed)$/);
    expect(report.checks.incus!.status).toBe('ok');
    expect(report.checks.container_connectivity).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^a probe container at [\d.]+ reached the gateway /),
    });
    // Restricted: a free address of the bridge, reached through the gateway, is refused by coi.
    expect(report.checks.network_restriction).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(
        /^a probe container was refused [\d.]+ \(private networks are blocked\)$/,
      ),
    });
    expect(report.checks.disk_space!.message).toMatch(/GiB free of .* GiB on /);
    expect(report.checks.tool_login).toMatchObject({
      status: 'warning',
      // Every place the egress proxy's lookup (the launch's) takes a Claude login from.
      message:
        'claude: not logged in on this host (ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN, ' +
        'accessToken in ~/.claude/.credentials.json, ANTHROPIC_API_KEY, ' +
        'apiKeyHelper in ~/.claude/settings.json, primaryApiKey in ~/.claude.json missing)',
    });
    expect(report.checks.incus_storage_pools!.message).toMatch(/btrfs/);
    expect(report.checks.config).toMatchObject({ status: 'ok', message: 'valid' });
    const { total, passed, warnings, failed } = report.summary;
    expect(passed + warnings + failed).toBe(total);
  });

  it('prints [OK]/[WARN]/[FAIL] lines and a summary as text', async () => {
    const r = await coi(['health', '--verbose']);
    expect(r.stdout).toMatch(/\[OK\] {3}Incus {13}: running, version 6\./);
    expect(r.stdout).toMatch(/\n {11}version: "6\./);
    expect(r.stdout).toMatch(/\nMONITORING:\n {2}\[(OK|WARN|FAIL)\] +Monitor daemon {4}: /);
    expect(r.stdout).toMatch(/STATUS: (HEALTHY|DEGRADED|UNHEALTHY)\n/);
    expect(r.stdout).toMatch(/checks (passed|failed)/);
    expect((await coi(['health', '--format', 'yaml'])).code).toBe(2);
    expect((await coi(['health', '--fix', '--json'])).code).toBe(2);
    const dry = await coi(['health', '--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/--dry-run requires --fix/);
  });

  it('--fix --dry-run prints the plan and changes nothing', async () => {
    const r = await coi(['health', '--fix', '--dry-run']);
    // coi-default is not built on the test bed: the plan builds it, the dry run does not.
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/STATUS: UNHEALTHY\n/);
    expect(r.stdout).toContain(
      '\nFix plan (--dry-run: nothing changed):\n  [PLAN]   set up the host',
    );
    expect(r.stdout).toContain('  [PLAN]   Default image: build coi-default (takes minutes)\n');
    expect(r.stdout).toContain(
      '  [MANUAL] Agent login: log in on the host: run `claude` and /login',
    );
    expect(r.stdout).not.toMatch(/\n {11}version: /);
    expect(r.stderr).not.toMatch(/Applying fixes/);
    expect(await new ImagesApi(incus()).findByAlias('coi-default')).toBeUndefined();
  });

  it('still runs with a broken config and reports it as failed', async () => {
    const broken = new CoiSandbox('[network]\nmode = "sideways"\n');
    try {
      const r = await broken.run(['health', '--json']);
      expect(r.code).toBe(2);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.status).toBe('unhealthy');
      expect(report.checks.config!.status).toBe('failed');
      expect(report.checks.config!.message).toMatch(/network\.mode/);
      expect(report.checks.incus!.status).toBe('ok');
    } finally {
      await broken.remove();
    }
  });
  it('--fix applies the idempotent set-up and checks again', async () => {
    // open mode is a warning nothing can fix, so the host stays degraded after the fixes.
    const open = new CoiSandbox(`[network]\nmode = "open"\n[container]\nimage = "${BASE_IMAGE}"\n`);
    try {
      const r = await open.run(['health', '--fix'], { timeoutMs: 300_000 });
      expect(r.stderr).toMatch(/Applying fixes/);
      expect(r.stdout).toMatch(/\[WARN\] Network mode {6}: open/);
      expect(r.code).toBe(r.stdout.includes('STATUS: UNHEALTHY') ? 2 : 1);
    } finally {
      await open.remove();
    }
  });
});

describe('coi health probes, login and monitor daemon', () => {
  const checksOf = async (box: CoiSandbox) =>
    (JSON.parse((await box.run(['health', '--json'])).stdout) as Report).checks;

  it('allowlist: a documentation address is refused; a login is seen, never shown', async () => {
    const box = new CoiSandbox(
      '[network]\nmode = "allowlist"\nallowed_domains = ["10.1.2.3"]\nallow_local_network_access = true\n',
    );
    try {
      mkdirSync(join(box.home, '.claude'), { recursive: true });
      writeFileSync(
        join(box.home, '.claude', '.credentials.json'),
        '{"claudeAiOauth":{"accessToken":"SECRET-VALUE-42"}}',
      );
      const r = await box.run(['health', '--json']);
      const checks = (JSON.parse(r.stdout) as Report).checks;
      expect(checks.network_restriction).toMatchObject({
        status: 'ok',
        message: 'a probe container was refused 192.0.2.1 (it is not on the allowlist)',
      });
      expect(checks.tool_login).toMatchObject({
        status: 'ok',
        message: 'claude: logged in (accessToken in ~/.claude/.credentials.json)',
      });
      expect(checks.host_files).toMatchObject({
        status: 'ok',
        message: 'copied into each session: claude: ~/.claude/.credentials.json',
      });
      expect(r.stdout + r.stderr).not.toContain('SECRET-VALUE-42');
    } finally {
      await box.remove();
    }
  });

  it('open mode has nothing to verify', async () => {
    const box = new CoiSandbox('[network]\nmode = "open"\n');
    try {
      expect((await checksOf(box)).network_restriction).toMatchObject({
        status: 'warning',
        message: 'nothing to verify: open mode: nothing is restricted',
      });
    } finally {
      await box.remove();
    }
  });

  it('fails a running monitored session without a daemon and reports a running one', async () => {
    const box = new CoiSandbox('[monitoring]\nenabled = true\n');
    const name = await launchTestContainer(`${workspaceHash(box.root)}-1`);
    try {
      expect((await checksOf(box)).monitoring_daemon).toMatchObject({
        status: 'failed',
        message: `not running: 1 container(s) run unwatched (${name})`,
      });
      await deleteTestContainer(name);
      await ensureMonitorDaemon({
        coiDir: box.coiDir,
        env: { ...process.env, HOME: box.home, COI_CONTAINER_PREFIX: box.prefix },
      });
      const status = JSON.parse(
        (await ask(join(box.coiDir, 'monitor', 'monitor.sock'), 'status'))!,
      ) as {
        pid: number;
      };
      expect((await checksOf(box)).monitoring_daemon).toMatchObject({
        status: 'ok',
        message: `pid ${status.pid}, watching 0 container(s), 0 alert(s) so far`,
      });
    } finally {
      await deleteTestContainer(name);
      await box.remove();
    }
  });
});

describe('coi profile and coi config', () => {
  it('creates, lists, shows with origins and deletes profiles', async () => {
    expect((await coi(['profile', 'create', 'base'])).code).toBe(0);
    writeFileSync(
      join(sandbox.coiDir, 'profiles', 'base', 'config.toml'),
      '[container]\nimage = "coi-test-base-img"\n',
    );
    expect((await coi(['profile', 'create', 'child', '--inherits', 'base'])).code).toBe(0);
    const list = JSON.parse((await coi(['profile', 'list', '--json'])).stdout) as {
      name: string;
      image: string;
      inherits: string[];
    }[];
    expect(list.map((p) => p.name)).toEqual(['default', 'base', 'child', 'hardened']);
    expect(list[2]).toMatchObject({ image: 'coi-test-base-img', inherits: ['base'] });

    const shown = JSON.parse((await coi(['profile', 'show', 'child', '--json'])).stdout) as {
      key: string;
      value: unknown;
      source: string;
    }[];
    expect(shown.find((e) => e.key === 'container.image')).toEqual({
      key: 'container.image',
      value: 'coi-test-base-img',
      source: '~/.coi/profiles/base/config.toml',
    });
    const text = await coi(['profile', 'show', 'child']);
    expect(text.stdout).toMatch(/network\.mode = "restricted" +# ~\/\.coi\/config\.toml/);

    const inherited = await coi(['profile', 'delete', 'base']);
    expect(inherited.code).toBe(1);
    expect(inherited.stderr).toMatch(/inherited by child/);
    expect((await coi(['profile', 'delete', 'child', '--force'])).code).toBe(0);
    expect((await coi(['profile', 'delete', 'base', '--force'])).code).toBe(0);
  });

  it('rejects bad profile requests', async () => {
    expect((await coi(['profile', 'create', 'bad name'])).code).toBe(2);
    expect((await coi(['profile', 'create', 'default', '--inherits', 'base'])).code).toBe(2);
    expect((await coi(['profile', 'create', 'orphan', '--inherits', 'ghost'])).code).toBe(1);
    expect((await coi(['profile', 'delete', 'ghost'])).code).toBe(1);
    const show = await coi(['profile', 'show', 'ghost']);
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(/ghost/);
    expect((await coi(['profile', 'list', '--format', 'xml'])).code).toBe(2);
  });

  it('shows the effective config and validates files', async () => {
    const shown = JSON.parse((await coi(['config', 'show', '--json'])).stdout) as {
      key: string;
      source: string;
    }[];
    expect(shown.find((e) => e.key === 'network.mode')?.source).toBe('~/.coi/config.toml');
    expect(shown.find((e) => e.key === 'tool.name')?.source).toBe('built-in defaults');

    const good = join(sandbox.root, 'good.toml');
    writeFileSync(good, '[tool]\nname = "pi"\n');
    const valid = await coi(['config', 'validate', good]);
    expect(valid).toMatchObject({ code: 0, stdout: 'Configuration is valid.\n' });
    const bad = join(sandbox.root, 'bad.toml');
    writeFileSync(bad, '[tool]\nnmae = "pi"\n');
    const invalid = await coi(['config', 'validate', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/tool\.nmae.*did you mean "tool\.name"/);
    const json = JSON.parse((await coi(['config', 'validate', bad, '--json'])).stdout) as {
      valid: boolean;
      errors: unknown[];
    };
    expect(json.valid).toBe(false);
    expect(json.errors).toHaveLength(1);
    expect((await coi(['config', 'validate', join(sandbox.root, 'missing.toml')])).code).toBe(1);
    expect((await coi(['config', 'validate'])).code).toBe(0);
  });
});

describe('coi info', () => {
  it('prints a saved session, by id or the newest of the workspace', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    const dir = join(sandbox.coiDir, 'sessions-claude', id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'metadata.json'),
      JSON.stringify({
        session_id: id,
        container_name: 'coi-abcdef12-1',
        persistent: false,
        workspace: sandbox.root,
        saved_at: '2026-11-23T10:00:00.000Z',
        tool: 'claude',
      }),
    );
    const byId = await coi(['info', id, '--json']);
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout)).toMatchObject({ session_id: id, tool: 'claude', dir });
    const newest = await coi(['info']);
    expect(newest.stdout).toMatch(new RegExp(`Session: +${id}`));
    const missing = await coi(['info', 'no-such-session']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no saved session "no-such-session"/);
    expect((await sandbox.run(['info'], { cwd: '/' })).code).toBe(1);
  });
});
