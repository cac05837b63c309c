import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/core/config/index.js';
import { endSession } from '../../../../src/core/session/end.js';
import { copyHostFiles } from '../../../../src/core/session/host-copies/copy-in.js';
import { planHostCopies } from '../../../../src/core/session/host-copies/plan.js';
import { launchSession, type Session } from '../../../../src/core/session/launch.js';
import { genericTool } from '../../../../src/core/tools/generic.js';
import { codexHostFiles, ompHostFiles } from '../../../../src/core/tools/host-files.js';
import { opencode } from '../../../../src/core/tools/opencode.js';
import { pi } from '../../../../src/core/tools/pi.js';
import type { ResumeRequest, ToolAdapter } from '../../../../src/core/tools/types.js';
import { Incus } from '../../../../src/incus/index.js';
import { AuditWriter } from '../../../../src/security/audit/writer.js';
import { Responder } from '../../../../src/security/response/responder.js';
import { CoiSandbox } from '../../../helpers/coi-cli.js';
import { deleteTestContainer, TEST_PREFIX } from '../../../helpers/testbed.js';

/**
 * Agent logins in a real container, from a fake host home (the sandbox's HOME) holding made-up
 * credential files for each tool: copied in byte for byte with the code user as owner and 0600,
 * the host home left as it was, a workspace's [[credentials]] refused, --resume putting the
 * host's newer login over the saved one, a login rotated inside written back on shutdown and
 * never after a threat kill.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
permission_mode = "bypass"

[monitoring]
enabled = false

[[credentials]]
host = "~/.ollama-key"
container = "~/.ollama/key"
write_back = true
`;

/** Made-up logins and settings of every tool, relative to the fake host home. */
const HOST_FILES: Record<string, string> = {
  '.claude/.credentials.json':
    '{"claudeAiOauth":{"accessToken":"fake-at-1","refreshToken":"fake-rt-1"}}',
  '.claude/settings.json': '{"model":"opus","permissions":{"allow":["Bash(npm test)"]}}',
  '.claude/settings.local.json': '{"env":{"FOO":"1"}}',
  '.claude/CLAUDE.md': '# My instructions\n',
  '.claude.json': JSON.stringify({
    hasCompletedOnboarding: true,
    oauthAccount: { accountUuid: 'fake-uuid', emailAddress: 'me@example.org' },
    userID: 'fake-user',
    projects: { '/home/me/private-project': { history: [{ display: 'secret plans' }] } },
  }),
  '.codex/auth.json': '{"OPENAI_API_KEY":null,"tokens":{"refresh_token":"fake-codex-rt"}}',
  '.codex/config.toml': 'model = "o3"\n',
  '.local/share/opencode/auth.json': '{"anthropic":{"type":"oauth","refresh":"fake-oc-rt"}}',
  '.config/opencode/opencode.json': '{"model":"anthropic/claude"}',
  '.pi/agent/auth.json': '{"anthropic":{"refresh":"fake-pi-rt"}}',
  '.pi/agent/models.json': '{"providers":{}}',
  '.omp/agent/auth.json': '{"anthropic":{"refresh":"fake-omp-rt"}}',
  '.omp/agent/agent.db': 'SQLite format 3\u0000fake',
  '.ollama-key': 'fake-ollama-key\n',
};
const SECRETS = [
  '.claude/.credentials.json',
  '.codex/auth.json',
  '.local/share/opencode/auth.json',
  '.pi/agent/auth.json',
  '.omp/agent/auth.json',
  '.omp/agent/agent.db',
];
const LOGIN = '.claude/.credentials.json';

let box: CoiSandbox;
let incus: Incus;
let workspace: string;
const containers = new Set<string>();

beforeAll(() => {
  box = new CoiSandbox(CONFIG);
  incus = Incus.local();
  for (const [rel, content] of Object.entries(HOST_FILES)) hostWrite(rel, content, 0o600);
  workspace = box.workspace('project');
  // The workspace asks for a host key it must not get.
  mkdirSync(join(workspace, '.coi'));
  writeFileSync(
    join(workspace, '.coi/config.toml'),
    '[[credentials]]\nhost = "~/.ollama-key"\ncontainer = "/tmp/stolen-key"\n',
  );
});

afterAll(async () => {
  for (const name of containers) await deleteTestContainer(name);
  await box?.remove();
  await incus?.close();
});

function hostWrite(rel: string, content: string, mode: number, ageSeconds = 3600): void {
  const path = join(box.home, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content, { mode });
  // Older than anything written inside, as a login made before the session is.
  const time = Date.now() / 1000 - ageSeconds;
  utimesSync(path, time, time);
}

/** Every file of the host home outside ~/.coi: content hash, mode and mtime. */
function hostHomeState(): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === box.coiDir) continue;
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
        state[path] = `${hash} ${s.mode.toString(8)} ${s.mtimeMs}`;
      }
    }
  };
  walk(box.home);
  return state;
}

async function launch(resume?: ResumeRequest): Promise<{ session: Session; warnings: string[] }> {
  const loaded = loadConfig({
    cwd: workspace,
    home: box.home,
    etcDir: join(box.root, 'etc'),
    env: {},
  });
  const session = await launchSession({
    incus,
    loaded,
    workspace,
    cliEnv: {},
    hostEnv: {},
    coiDir: box.coiDir,
    hostHome: box.home,
    prefix: TEST_PREFIX,
    startTool: false,
    ...(resume ? { resume } : {}),
    onStep: (message) => {
      const named = /^(?:Launching container|Starting) ([\w-]+)/.exec(message)?.[1];
      if (named) containers.add(named);
    },
  });
  containers.add(session.container);
  return { session, warnings: loaded.warnings.map((w) => w.message) };
}

async function inside(session: Session, rel: string) {
  const path = rel.startsWith('/') ? rel : `${session.home}/${rel}`;
  const stat = await incus.files.stat(session.container, path);
  if (!stat) return undefined;
  const content = await incus.files.pull(session.container, path);
  return { ...stat, content };
}

/** What the agent does when it refreshes its login: rewrites the file, as the code user. */
async function rotateInside(session: Session, rel: string, content: string): Promise<void> {
  const result = await incus.exec.run(
    session.container,
    ['sh', '-c', `printf '%s' "$1" > "$HOME/${rel}"`, 'sh', content],
    {
      user: session.codeUid,
      group: session.codeUid,
      environment: { HOME: session.home },
    },
  );
  expect(result.exitCode, result.stderr.toString()).toBe(0);
}

describe('agent logins copied into sessions', () => {
  let first: Session;

  it('a new session gets every login byte for byte, owned by the code user with 0600; the host home is untouched', async () => {
    const before = hostHomeState();
    const { session, warnings } = await launch();
    first = session;
    expect(warnings.join('\n')).toMatch(
      /\.coi\/config\.toml: credentials\[0\] \(host "~\/\.ollama-key"\) ignored: a workspace file may reach the host only once you approve it/,
    );
    expect(await inside(session, '/tmp/stolen-key')).toBeUndefined();

    const claudeLogin = await inside(session, LOGIN);
    expect(claudeLogin).toMatchObject({
      type: 'file',
      uid: session.codeUid,
      gid: session.codeUid,
      mode: 0o600,
    });
    expect(claudeLogin!.content.toString()).toBe(HOST_FILES[LOGIN]);
    expect(await inside(session, '.ollama/key')).toMatchObject({
      uid: session.codeUid,
      mode: 0o600,
      content: Buffer.from(HOST_FILES['.ollama-key']!),
    });
    expect((await inside(session, '.claude/settings.local.json'))!.content.toString()).toBe(
      HOST_FILES['.claude/settings.local.json'],
    );
    // Settings merged with coi's, never replaced; ~/.claude.json without the host's projects.
    const settings = JSON.parse(
      (await inside(session, '.claude/settings.json'))!.content.toString(),
    );
    expect(settings).toMatchObject({
      model: 'opus',
      skipDangerousModePermissionPrompt: true,
      permissions: { allow: ['Bash(npm test)'], defaultMode: 'bypassPermissions' },
    });
    const claudeJson = await inside(session, '.claude.json');
    expect(claudeJson).toMatchObject({ uid: session.codeUid, mode: 0o600 });
    expect(JSON.parse(claudeJson!.content.toString())).toEqual({
      hasCompletedOnboarding: true,
      bypassPermissionsModeAccepted: true,
      oauthAccount: { accountUuid: 'fake-uuid', emailAddress: 'me@example.org' },
      userID: 'fake-user',
    });
    expect(await inside(session, '/etc/claude-code/managed-settings.json')).toMatchObject({
      uid: 0,
      gid: 0,
      mode: 0o644,
    });

    // The other tools' declarations, copied into the same container.
    const tools: ToolAdapter[] = [
      opencode,
      pi,
      { ...genericTool('codex'), hostFiles: codexHostFiles },
      { ...genericTool('omp'), hostFiles: ompHostFiles },
    ];
    for (const tool of tools) {
      const copies = planHostCopies({
        tool,
        bundles: [],
        permissionMode: 'bypass',
        hostHome: box.home,
        home: session.home,
      });
      await copyHostFiles(incus, session.container, copies, session.codeUid);
    }
    for (const rel of SECRETS) {
      const copy = await inside(session, rel);
      expect(copy, rel).toMatchObject({ uid: session.codeUid, gid: session.codeUid, mode: 0o600 });
      expect(copy!.content.equals(Buffer.from(HOST_FILES[rel]!)), rel).toBe(true);
    }
    const codexConfig = (await inside(session, '.codex/config.toml'))!.content.toString();
    expect(codexConfig).toMatch(/approval_policy = "never"/);
    expect(codexConfig).toMatch(/model = "o3"/);

    expect(hostHomeState()).toEqual(before);
  });

  it('a login rotated inside is written back on shutdown, atomically with the same mode', async () => {
    await rotateInside(first, LOGIN, '{"claudeAiOauth":{"refreshToken":"fake-rt-2"}}');
    const ended = await endSession(incus, first.container, {
      coiDir: box.coiDir,
      save: true,
      graceSeconds: 5,
      keepPersistent: false,
    });
    expect(ended.saved).toBeDefined();
    const host = join(box.home, LOGIN);
    expect(readFileSync(host, 'utf8')).toBe('{"claudeAiOauth":{"refreshToken":"fake-rt-2"}}');
    expect(statSync(host).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(box.home, '.claude')).filter((f) => f.includes('.coi-'))).toEqual([]);
    // The saved session holds the rotated login too.
    expect(readFileSync(join(ended.saved!.dir, LOGIN), 'utf8')).toContain('fake-rt-2');
  });

  it("--resume puts the host's newer login over the saved one; a threat kill writes nothing back", async () => {
    hostWrite(LOGIN, '{"claudeAiOauth":{"refreshToken":"fake-rt-3"}}', 0o600, 0);
    const { session } = await launch({ kind: 'latest' });
    expect((await inside(session, LOGIN))!.content.toString()).toContain('fake-rt-3');

    await rotateInside(session, LOGIN, '{"claudeAiOauth":{"refreshToken":"stolen"}}');
    // The attached `coi shell` ends the session while the responder kills it (its tmux went with
    // the freeze): the worst moment, the container still there and holding the rotated login.
    const endedMeanwhile: boolean[] = [];
    const responder = new Responder({
      incus,
      audit: new AuditWriter(join(box.root, 'audit')),
      prefix: TEST_PREFIX,
      policy: { autoPauseOnHigh: true, autoKillOnCritical: true },
      forensicsOnKill: false,
      releaseNetwork: async (container) => {
        const ended = await endSession(incus, container, {
          coiDir: box.coiDir,
          save: false,
          keepPersistent: false,
        });
        endedMeanwhile.push(ended.existed);
      },
    });
    const record = await responder.handle({
      container: session.container,
      workspace,
      latencyMs: 1,
      alert: {
        level: 'critical',
        category: 'network',
        title: 'test threat',
        description: 'a made-up critical alert',
        evidence: { process: { command: 'true', pattern: 'test', indicators: [] } },
      },
    });
    expect(record?.action).toBe('killed');
    expect(endedMeanwhile).toEqual([true]);
    expect(readFileSync(join(box.home, LOGIN), 'utf8')).toContain('fake-rt-3');
  });
});
