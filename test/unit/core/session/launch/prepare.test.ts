import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConfigOverrides } from '../../../../../src/core/config/index.js';
import { HostLocks } from '../../../../../src/core/session/host-locks.js';
import { writeBackRecords } from '../../../../../src/core/session/host-copies/write-back-records.js';
import { SessionSetupError } from '../../../../../src/core/session/inside.js';
import type { LaunchRequest } from '../../../../../src/core/session/launch.js';
import {
  PROXY_CA_INSIDE,
  PROXY_SENTINEL,
  prepareCredentialProxy,
} from '../../../../../src/core/session/launch/credential-proxy.js';
import { isHostSocketDevice } from '../../../../../src/core/session/launch/host-sockets.js';
import { caFiles } from '../../../../../src/security/proxy/inject/ca.js';
import { injectionDir } from '../../../../../src/security/proxy/inject/store.js';
import { Reverter } from '../../../../../src/shared/revert.js';
import { planLaunch } from '../../../../../src/core/session/launch/plan.js';
import { prepareSession, type Started } from '../../../../../src/core/session/launch/prepare.js';
import type { RunOptions } from '../../../../../src/incus/exec-types.js';
import { containerName } from '../../../../../src/shared/naming.js';
import { unwrapCodeUser } from '../../../../helpers/code-user-argv.js';
import { FakeIncus, runResult } from '../../../../helpers/fake-incus.js';
import { PREFIX, WORKSPACE, facts, launchRequest } from './fixtures.js';

const NAME = containerName(WORKSPACE, 1, PREFIX);
const USER_NOTES = '# My notes\nAlways run the tests.\n';

let coiDir: string;
let incus: FakeIncus;
/** What ran in the container, in order: the set-up script as `setup`, tmux by its argv. */
let ran: { what: string; argv: string[]; uid?: number; opts: RunOptions }[];
/** The exit code of the set-up script, and what it says. */
let setup: { exitCode: number; stderr: string };

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-prepare-'));
  incus = new FakeIncus([{ name: NAME, files: { '/home/code/.claude/CLAUDE.md': USER_NOTES } }]);
  ran = [];
  setup = { exitCode: 0, stderr: '' };
  incus.exec.answer((_instance, wrapped, opts) => {
    const { argv, uid } = unwrapCodeUser(wrapped);
    if (argv[0] === 'sh') {
      ran.push({ what: 'setup', argv, opts });
      return runResult(setup.exitCode, '', setup.stderr);
    }
    if (argv[0] === 'update-ca-certificates') {
      ran.push({ what: 'update-ca-certificates', argv, opts });
      return runResult(0);
    }
    if (argv[0] === 'tmux') {
      ran.push({ what: 'tmux', argv, ...(uid === undefined ? {} : { uid }), opts });
      return runResult(0);
    }
    return undefined;
  });
});

afterEach(() => {
  rmSync(coiDir, { recursive: true, force: true });
});

/** Prepares the started container for a fresh launch with `overrides`. */
async function prepare(
  opts: {
    overrides?: ConfigOverrides;
    over?: Partial<LaunchRequest>;
    started?: Partial<Started>;
  } = {},
) {
  const req = launchRequest(incus, coiDir, opts.overrides, opts.over);
  const plan = planLaunch(facts(), req);
  const started: Started = {
    container: NAME,
    ip: '10.99.0.254',
    slot: 1,
    env: { SESSION_TOKEN: 's3cret-value' },
    protectedPaths: [],
    locks: new HostLocks(join(coiDir, 'locks')),
    ...opts.started,
  };
  await prepareSession(req, plan, started);
  return { plan, started };
}

function file(path: string) {
  return incus.instances.filesOf.get(NAME)?.get(path);
}

describe('prepareSession', () => {
  it('sets the container up as root, writes the context files, then starts the tool in tmux', async () => {
    const { plan } = await prepare({ overrides: { tool: { permission_mode: 'bypass' } } });
    expect(ran.map((r) => r.what)).toEqual(['setup', 'tmux']);
    const [root, tmux] = ran;
    expect(root!.opts.user).toBeUndefined();
    expect(root!.argv[2]).toContain(`hostname ${NAME}`);
    expect(root!.argv[2]).toContain("grep -qxF '10.99.0.254'");
    // The settings merged with coi's (~/.claude/settings.json, ~/.claude.json, the managed policy)
    // and the context files went in between the two.
    const execs = incus.calls.filter((c) => c.startsWith('exec.run') || c.startsWith('files.push'));
    expect(execs).toEqual([
      `exec.run ${NAME}`,
      `files.push ${NAME}`,
      `files.push ${NAME}`,
      `files.push ${NAME}`,
      `files.push ${NAME}`,
      `files.push ${NAME}`,
      `exec.run ${NAME}`,
    ]);
    expect(file('/etc/claude-code/managed-settings.json')).toMatchObject({ uid: 0, mode: 0o644 });
    expect(tmux!.uid).toBe(plan.codeUid);
    expect(tmux!.opts.user).toBeUndefined();
    expect(tmux!.opts).toMatchObject({
      environment: { SESSION_TOKEN: 's3cret-value', HOME: plan.home },
    });
    expect(tmux!.argv.join(' ')).toContain('claude');
    expect(tmux!.argv.join(' ')).toContain('--dangerously-skip-permissions');
    expect(tmux!.argv.join(' ')).not.toContain('s3cret-value');
  });

  it('plugs the host sockets in once the set-up script has seen the container booted', async () => {
    const agent = join(coiDir, 'agent.sock');
    let atSetup: string[] = [];
    incus.exec.answer((_instance, argv) => {
      if (argv[0] !== 'sh') return undefined;
      atSetup = Object.keys(incus.instances.all.get(NAME)!.devices);
      return runResult(0);
    });
    await prepare({
      overrides: {
        ssh: { forward_agent: true },
        sockets: [{ host: '/run/docker.sock', container: '/run/docker.sock' }],
      },
      over: { hostEnv: { SSH_AUTH_SOCK: agent }, startTool: false },
    });
    expect(atSetup.filter(isHostSocketDevice)).toEqual([]);
    const { devices } = incus.instances.all.get(NAME)!;
    expect(devices['socket-0']).toMatchObject({ listen: 'unix:/run/docker.sock' });
    expect(devices['ssh-agent']).toMatchObject({ connect: `unix:${agent}` });
  });

  it('writes SANDBOX_CONTEXT.md for the code user and keeps what the user wrote in CLAUDE.md', async () => {
    const { plan } = await prepare();
    const context = file('/home/code/SANDBOX_CONTEXT.md')!;
    expect(context).toMatchObject({ uid: plan.codeUid, gid: plan.codeUid, mode: 0o644 });
    expect(context.content.toString()).toContain(`Container: ${NAME} (slot 1)`);
    const notes = file('/home/code/.claude/CLAUDE.md')!.content.toString();
    expect(notes.startsWith(USER_NOTES.trimEnd())).toBe(true);
    expect(notes).toContain('# Sandbox context');
  });

  it("copies the host's login in, even for coi run, and records it for the write-back", async () => {
    const hostHome = join(coiDir, 'host-home');
    mkdirSync(join(hostHome, '.claude'), { recursive: true });
    writeFileSync(join(hostHome, '.claude/.credentials.json'), '{"token":"t"}');
    const { plan } = await prepare({ over: { startTool: false, hostHome } });
    expect(file('/home/code/.claude/.credentials.json')).toMatchObject({
      uid: plan.codeUid,
      mode: 0o600,
      content: Buffer.from('{"token":"t"}'),
    });
    expect(await writeBackRecords(coiDir).load(NAME)).toMatchObject([
      { host: join(hostHome, '.claude/.credentials.json'), mode: 0o600 },
    ]);
  });

  it('with the login by the egress proxy: its CA trusted inside, a sentinel login, no write-back', async () => {
    const hostHome = join(coiDir, 'host-home');
    mkdirSync(join(hostHome, '.claude'), { recursive: true });
    const real = '{"claudeAiOauth":{"accessToken":"sk-ant-oat-real","refreshToken":"r"}}';
    writeFileSync(join(hostHome, '.claude/.credentials.json'), real);
    const proxy = {
      rules: [],
      anyName: false,
      env: {},
      loginSentinel: { value: PROXY_SENTINEL, login: 'oauth' as const },
    };
    await prepareCredentialProxy(coiDir, NAME, proxy, new Reverter());
    const ca = caFiles(injectionDir(coiDir, NAME));
    expect(statSync(ca.key).mode & 0o777).toBe(0o600);
    await prepare({ over: { startTool: false, hostHome }, started: { credentialProxy: proxy } });
    expect(file(PROXY_CA_INSIDE)?.content.toString()).toBe(readFileSync(ca.cert, 'utf8'));
    expect(ran.map((r) => r.what)).toEqual(['setup', 'update-ca-certificates']);
    // The key never goes in.
    const inside = [...(incus.instances.filesOf.get(NAME)?.values() ?? [])];
    expect(inside.some((f) => f.content.includes('PRIVATE KEY'))).toBe(false);
    const login = file('/home/code/.claude/.credentials.json')!.content.toString();
    expect(login).not.toContain('real');
    expect(JSON.parse(login).claudeAiOauth.accessToken).toBe(PROXY_SENTINEL);
    expect(await writeBackRecords(coiDir).load(NAME)).toEqual([]);
  });

  it('coi run only sets the container up: no context files, no tmux', async () => {
    await prepare({ over: { startTool: false } });
    expect(ran.map((r) => r.what)).toEqual(['setup']);
    expect(file('/home/code/SANDBOX_CONTEXT.md')).toBeUndefined();
  });

  it('a set-up that fails stops there, with what the script said', async () => {
    setup = { exitCode: 1, stderr: 'usermod: user code is currently used by process 1' };
    const failure = prepare();
    await expect(failure).rejects.toThrow(SessionSetupError);
    await expect(failure).rejects.toThrow(
      `preparing ${NAME} failed (exit 1): usermod: user code is currently used by process 1`,
    );
    expect(ran.map((r) => r.what)).toEqual(['setup']);
    expect(file('/home/code/SANDBOX_CONTEXT.md')).toBeUndefined();
  });

  it('a container that never got its pinned address fails with both addresses and what to do', async () => {
    setup = {
      exitCode: 3,
      stderr:
        'eth0 holds 10.99.0.142, not its pinned 10.99.0.254, also after renewing its DHCP lease',
    };
    const failure = prepare();
    await expect(failure).rejects.toThrow(SessionSetupError);
    await expect(failure).rejects.toThrow(
      `${NAME} was not ready within 30s (eth0 holds 10.99.0.142, not its pinned 10.99.0.254, ` +
        "also after renewing its DHCP lease); the bridge's DHCP server (Incus's dnsmasq) gave",
    );
    await expect(failure).rejects.toThrow('start the session again');
  });

  it('locks the protected host paths of the workspace while it sets up, when host_immutable is on', async () => {
    const locks = new HostLocks(join(coiDir, 'locks'));
    const lock = vi.spyOn(locks, 'lock').mockResolvedValue();
    await prepare({
      overrides: { security: { host_immutable: true } },
      started: { locks, protectedPaths: ['.git/hooks', '.envrc'] },
    });
    expect(lock).toHaveBeenCalledWith(NAME, [
      join(WORKSPACE, '.git/hooks'),
      join(WORKSPACE, '.envrc'),
    ]);
  });

  it('locks nothing on the host when host_immutable is off', async () => {
    const locks = new HostLocks(join(coiDir, 'locks'));
    const lock = vi.spyOn(locks, 'lock').mockResolvedValue();
    await prepare({
      overrides: { security: { host_immutable: false } },
      started: { locks, protectedPaths: ['.git/hooks'] },
    });
    expect(lock).not.toHaveBeenCalled();
  });
});
