import { execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigOverrides } from '../../../../src/core/config/index.js';
import { endSession } from '../../../../src/core/session/end.js';
import {
  gitdirMountpoint,
  idmappedMountpoint,
} from '../../../../src/core/session/launch/idmapped-workspace.js';
import { launchSession, type Session } from '../../../../src/core/session/launch.js';
import { Incus } from '../../../../src/incus/index.js';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox } from '../../../helpers/coi-cli.js';
import { findLeaks } from '../../../helpers/leaks.js';
import { deleteTestContainer, TEST_PREFIX } from '../../../helpers/testbed.js';

/**
 * Secret masks and protected paths in a real container, one session per workspace owner for the
 * reads and writes: root (coi's own idmapped mount, `owner-to-code`) and 1000 (Incus shifts the
 * mounts, `shift`). A masked `.env` exists but reads empty inside and stays intact on the host,
 * the workspace's `.coi/config.toml` cannot be rewritten, a `writable_paths` carve-out can, and
 * everything over the workspace shows as the code user's, as the workspace does. A secret that is
 * a symlink out of the workspace refuses the launch before anything is created.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[monitoring]
enabled = false
`;

const ENV = 'API_TOKEN=s3cr3t\n';

let box: CoiSandbox;
let incus: Incus;
const containers = new Set<string>();

beforeAll(() => {
  box = new CoiSandbox(CONFIG);
  incus = Incus.local();
});

afterAll(async () => {
  for (const name of containers) await deleteTestContainer(name);
  await box?.remove();
  await incus?.close();
});

/** Files in the workspace, owned by its owner (the host user the code user is mapped from). */
function write(workspace: string, rel: string, text: string, owner = 1000): void {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = join(workspace, ...parts.slice(0, i));
    mkdirSync(dir, { recursive: true });
    chownSync(dir, owner, owner);
  }
  writeFileSync(join(workspace, rel), text);
  chownSync(join(workspace, rel), owner, owner);
}

function end(container: string) {
  return endSession(incus, container, { coiDir: box.coiDir, save: false, keepPersistent: false });
}

function launch(workspace: string, overrides: ConfigOverrides = {}): Promise<Session> {
  return launchSession({
    incus,
    loaded: loadConfig({
      cwd: workspace,
      home: box.home,
      etcDir: join(box.root, 'etc'),
      env: {},
      overrides,
    }),
    workspace,
    cliEnv: {},
    hostEnv: {},
    coiDir: box.coiDir,
    prefix: TEST_PREFIX,
    startTool: false,
    onStep: (message) => {
      const named = /^Launching container ([\w-]+)/.exec(message)?.[1];
      if (named) containers.add(named);
    },
  });
}

/** A shell command as the code user; asked again when Incus could not start it (-1). */
async function asCode(container: string, script: string) {
  for (let attempt = 1; ; attempt++) {
    const r = await incus.exec.run(container, ['sh', '-c', script], { user: 1000, group: 1000 });
    if (r.exitCode !== -1 || attempt === 3)
      return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
  }
}

describe('secret masks and protected paths', () => {
  // 0: coi idmaps the workspace itself (owner-to-code); 1000: Incus shifts it (shift).
  for (const owner of [0, 1000]) {
    it(`masks secrets, keeps .coi read-only and a carve-out writable (workspace owned by ${owner})`, async () => {
      const ws = box.workspace(`masked-${owner}`, owner);
      const put = (rel: string, text: string) => write(ws, rel, text, owner);
      put('.env', ENV);
      put('api/server.pem', 'PRIVATE KEY\n');
      put('secrets/db/password', 'hunter2\n');
      put('.coi/config.toml', '[network]\nmode = "restricted"\n');
      put('README.md', 'hello\n');
      put('.vscode/extensions.json', '{}\n');
      put('.husky/.gitignore', '_\n');
      const session = await launch(ws, {
        security: { writable_paths: ['.husky', '.vscode/settings.json'] },
      });
      const c = session.container;
      try {
        // Seen, but empty: the file is there with no content, the directory with no entries.
        expect(await asCode(c, 'test -f /workspace/.env && wc -c < /workspace/.env')).toMatchObject(
          { code: 0, out: '0\n' },
        );
        expect((await asCode(c, 'cat /workspace/api/server.pem')).out).toBe('');
        expect(await asCode(c, 'ls -A /workspace/secrets')).toMatchObject({ code: 0, out: '' });
        expect((await asCode(c, 'cat /workspace/README.md')).out).toBe('hello\n');
        // Nor can the agent write through the mask, even with sudo.
        expect((await asCode(c, 'sudo sh -c "echo x > /workspace/.env"')).code).not.toBe(0);
        expect(readFileSync(join(ws, '.env'), 'utf8')).toBe(ENV);

        const rewrite = await asCode(c, 'echo "[network]" > /workspace/.coi/config.toml');
        expect(rewrite.code, rewrite.err).not.toBe(0);
        expect((await asCode(c, 'sudo touch /workspace/.coi/planted.toml')).code).not.toBe(0);
        expect(readFileSync(join(ws, '.coi/config.toml'), 'utf8')).toContain('restricted');

        const carved = await asCode(c, 'echo "{}" > /workspace/.vscode/settings.json');
        expect(carved.code, carved.err).toBe(0);
        expect(readFileSync(join(ws, '.vscode/settings.json'), 'utf8')).toBe('{}\n');
        const whole = await asCode(c, 'touch /workspace/.husky/pre-commit');
        expect(whole.code, whole.err).toBe(0);
        expect(statSync(join(ws, '.husky/pre-commit')).uid).toBe(owner);
        // Next to the carve-out, and where none is, protection holds (so the checks above can fail).
        expect((await asCode(c, 'touch /workspace/.vscode/tasks.json')).code).not.toBe(0);
        expect((await asCode(c, 'touch /workspace/.git/hooks/pre-commit')).code).not.toBe(0);

        // Masks, protected paths and carve-outs are the code user's, as the workspace is.
        const owners = await asCode(
          c,
          'cd /workspace && stat -c "%n %u:%g" . README.md .env secrets .coi .vscode .vscode/settings.json .husky',
        );
        expect(owners.out.trim().split('\n')).toEqual(
          [
            '.',
            'README.md',
            '.env',
            'secrets',
            '.coi',
            '.vscode',
            '.vscode/settings.json',
            '.husky',
          ].map((name) => `${name} 1000:1000`),
        );
      } finally {
        await end(c);
      }
      // Nothing left behind: no container, no idmapped mount, nothing immutable on the host.
      expect((await findLeaks(TEST_PREFIX)).filter((l) => l.name === c)).toEqual([]);
      expect(existsSync(idmappedMountpoint(c))).toBe(false);
      writeFileSync(join(ws, '.coi/config.toml'), '[network]\nmode = "restricted"\n');
      expect(readFileSync(join(ws, '.env'), 'utf8')).toBe(ENV);
    }, 240_000);
  }

  for (const owner of [0, 1000]) {
    it(`a reused persistent container masks this launch's secrets, not the last one's (owner ${owner})`, async () => {
      const ws = box.workspace(`reused-${owner}`, owner);
      write(ws, '.env', ENV, owner);
      const persistent = { container: { persistent: true } };
      const first = await launch(ws, persistent);
      await endSession(incus, first.container, {
        coiDir: box.coiDir,
        save: false,
        keepPersistent: true,
      });
      rmSync(join(ws, '.env'));
      write(ws, 'deploy.key', 'KEY\n', owner);
      const again = await launch(ws, persistent);
      try {
        expect(again.container).toBe(first.container);
        expect(await asCode(again.container, 'wc -c < /workspace/deploy.key')).toMatchObject({
          code: 0,
          out: '0\n',
        });
        // The old mask is gone: nothing was mounted (or created) where the old secret was.
        expect((await asCode(again.container, 'test -e /workspace/.env')).code).toBe(1);
      } finally {
        await end(again.container);
      }
      expect(existsSync(join(ws, '.env'))).toBe(false);
      expect(readFileSync(join(ws, 'deploy.key'), 'utf8')).toBe('KEY\n');
    }, 240_000);
  }

  for (const owner of [0, 1000]) {
    it(`a linked worktree: git works inside, the main repository's hooks and config stay read-only (owner ${owner})`, async () => {
      const root = box.workspace(`repo-${owner}`);
      const main = join(root, 'main');
      execFileSync('sh', [
        '-c',
        `git init -q ${main} && git -C ${main} -c user.name=t -c user.email=t@t commit -q --allow-empty -m init && git -C ${main} worktree add -q ${root}/wt && chown -R ${owner}:${owner} ${root}`,
      ]);
      const session = await launch(join(root, 'wt'));
      const c = session.container;
      try {
        const gitDir = join(main, '.git');
        const commit = await asCode(
          c,
          'cd /workspace && git -c user.name=a -c user.email=a@a commit -q --allow-empty -m inside && git log --format=%s -1',
        );
        expect(commit, commit.err).toMatchObject({ code: 0, out: 'inside\n' });
        // What the code user writes in the repository is the owner's on the host.
        // (`git worktree add` made the branch wt; the commit rewrote its ref.)
        expect(statSync(join(gitDir, 'refs/heads/wt')).uid).toBe(owner);
        expect((await asCode(c, `touch ${gitDir}/hooks/post-commit`)).code).not.toBe(0);
        expect((await asCode(c, `sudo sh -c 'echo x >> ${gitDir}/config'`)).code).not.toBe(0);
        expect(existsSync(join(gitDir, 'hooks/post-commit'))).toBe(false);
      } finally {
        await end(c);
      }
      expect(existsSync(gitdirMountpoint(idmappedMountpoint(c)))).toBe(false);
    }, 240_000);
  }

  for (const owner of [0, 1000]) {
    it(`refuses a secret that is a symlink out of the workspace, with nothing launched (owner ${owner})`, async () => {
      const outside = box.workspace(`outside-${owner}`, owner);
      write(outside, 'real.env', ENV, owner);
      const ws = box.workspace(`escaping-${owner}`, owner);
      symlinkSync(join(outside, 'real.env'), join(ws, '.env'));
      const error = await launch(ws).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect((error as Error | undefined)?.message).toMatch(
        /^secret path \.env \(matched by security\.secret_paths "\.env"\) in .* is a symlink to .*real\.env, outside the workspace/,
      );
      const ours = `${TEST_PREFIX}${workspaceHash(ws)}`;
      expect((await findLeaks(TEST_PREFIX)).filter((l) => l.name.startsWith(ours))).toEqual([]);
      // Refused before the protected paths are materialised in the workspace.
      expect(existsSync(join(ws, '.git'))).toBe(false);
      expect(readFileSync(join(outside, 'real.env'), 'utf8')).toBe(ENV);
    }, 60_000);
  }
});
