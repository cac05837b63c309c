import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';

/** `coi profile create|edit|delete` on the real CLI, with scripts standing in for the editor. */

let sandbox: CoiSandbox;
let ws: string;

beforeAll(() => {
  ensureBuilt();
  sandbox = new CoiSandbox('[network]\nmode = "restricted"\n');
  ws = sandbox.workspace('ws');
});

afterAll(async () => {
  await sandbox.remove();
});

const coi = (args: string[], env: Record<string, string> = {}) =>
  sandbox.run(args, { cwd: ws, env });
const userProfile = (name: string) => join(sandbox.coiDir, 'profiles', name, 'config.toml');

/** An executable shell script in the sandbox; the editor gets the file to edit as $1. */
function script(name: string, body: string): string {
  const path = join(sandbox.root, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('coi profile edit', () => {
  it('replaces the profile with a valid edit; keeps it (and the edit) when the edit is invalid', async () => {
    expect((await coi(['profile', 'create', 'dev'])).code).toBe(0);
    const before = readFileSync(userProfile('dev'), 'utf8');

    const typo = script('typo.sh', `printf '[container]\\nimgae = "edited"\\n' > "$1"`);
    const broken = await coi(['profile', 'edit', 'dev'], { EDITOR: typo });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(
      'the edit is not valid, so ~/.coi/profiles/dev/config.toml was not changed:',
    );
    expect(broken.stderr).toMatch(/container\.imgae: .*did you mean "container\.image"\?/);
    expect(readFileSync(userProfile('dev'), 'utf8')).toBe(before);

    // The next edit starts from the rejected one: fixing the typo is enough.
    const fix = script('fix.sh', `sed -i 's/imgae/image/' "$1"`);
    const fixed = await coi(['profile', 'edit', 'dev'], { EDITOR: fix });
    expect(fixed.stderr).toContain(
      'Continuing the edit kept in ~/.coi/profiles/dev/config.edit.toml',
    );
    expect(fixed.code).toBe(0);
    expect(readFileSync(userProfile('dev'), 'utf8')).toBe('[container]\nimage = "edited"\n');
    expect(existsSync(join(sandbox.coiDir, 'profiles', 'dev', 'config.edit.toml'))).toBe(false);
    const shown = JSON.parse((await coi(['profile', 'show', 'dev', '--json'])).stdout) as {
      key: string;
      value: unknown;
    }[];
    expect(shown.find((e) => e.key === 'container.image')?.value).toBe('edited');
  });

  it('prefers $VISUAL to $EDITOR, and leaves the profile alone when the editor fails', async () => {
    const valid = script('valid.sh', `printf '[container]\\nimage = "visual"\\n' > "$1"`);
    const failing = script('failing.sh', `printf 'garbage' > "$1"; exit 3`);
    const visual = await coi(['profile', 'edit', 'dev'], { VISUAL: valid, EDITOR: failing });
    expect(visual).toMatchObject({ code: 0 });
    expect(visual.stderr).toMatch(/Updated profile dev: .*profiles\/dev\/config\.toml/);
    expect(readFileSync(userProfile('dev'), 'utf8')).toBe('[container]\nimage = "visual"\n');

    const failed = await coi(['profile', 'edit', 'dev'], { EDITOR: failing });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`the editor (${failing}) exited with code 3`);
    expect(readFileSync(userProfile('dev'), 'utf8')).toBe('[container]\nimage = "visual"\n');

    const unchanged = await coi(['profile', 'edit', 'dev'], { EDITOR: 'true' });
    expect(unchanged).toMatchObject({ code: 0, stderr: 'Profile dev unchanged.\n' });
  });

  it('refuses the built-in profile and a missing one', async () => {
    const builtIn = await coi(['profile', 'edit', 'default'], { EDITOR: 'true' });
    expect(builtIn.code).toBe(2);
    expect(builtIn.stderr).toContain('`coi profile create default`');
    const missing = await coi(['profile', 'edit', 'ghost'], { EDITOR: 'true' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no profile "ghost"');
  });
});

describe('coi profile create', () => {
  it('`default` writes a commented starter main config that changes nothing, never over one', async () => {
    const file = join(sandbox.coiDir, 'config.toml');
    const ours = readFileSync(file, 'utf8');
    rmSync(file);
    try {
      const created = await coi(['profile', 'create', 'default']);
      expect(created.code).toBe(0);
      expect(created.stderr).toBe(
        `Created main config at ${file}\nIt overrides nothing yet — uncomment and edit lines to customize.\n`,
      );
      expect(readFileSync(file, 'utf8')).toMatch(/^# coi configuration\. Every setting below/);
      expect(readFileSync(file, 'utf8')).toContain('\n# [network]\n');
      const shown = JSON.parse((await coi(['config', 'show', '--json'])).stdout) as {
        source: string;
      }[];
      expect(new Set(shown.map((e) => e.source))).toEqual(new Set(['built-in defaults']));

      const again = await coi(['profile', 'create', 'default']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(
        '~/.coi/config.toml already exists; coi does not overwrite it',
      );

      const project = await coi(['profile', 'create', 'default', '--project']);
      expect(project.code).toBe(0);
      expect(readFileSync(join(ws, '.coi', 'config.toml'), 'utf8')).toBe(
        readFileSync(file, 'utf8'),
      );
      expect((await coi(['profile', 'create', 'default', '--inherits', 'dev'])).code).toBe(2);
    } finally {
      writeFileSync(file, ours);
      rmSync(join(ws, '.coi', 'config.toml'), { force: true });
    }
  });

  it('writes to ~/.coi/profiles by default, to the workspace with --project', async () => {
    expect((await coi(['profile', 'create', 'mine', '--user'])).code).toBe(0);
    expect(existsSync(userProfile('mine'))).toBe(true);
    const team = await coi(['profile', 'create', 'team', '--project', '--inherits', 'mine']);
    expect(team.code).toBe(0);
    const file = join(ws, '.coi', 'profiles', 'team', 'config.toml');
    expect(readFileSync(file, 'utf8')).toContain('inherits = "mine"');
    const list = JSON.parse((await coi(['profile', 'list', '--json'])).stdout) as {
      name: string;
      scope: string;
      inherits: string[];
    }[];
    expect(list.find((p) => p.name === 'team')).toMatchObject({
      scope: 'workspace',
      inherits: ['mine'],
    });
    const both = await coi(['profile', 'create', 'x', '--user', '--project']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--user and --project are mutually exclusive');
  });
});

describe('coi profile delete', () => {
  it('asks first, refusing without a terminal unless --force', async () => {
    mkdirSync(join(sandbox.coiDir, 'profiles', 'old'), { recursive: true });
    writeFileSync(userProfile('old'), '');
    const refused = await coi(['profile', 'delete', 'old']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing without --force because stdin is not a terminal');
    expect(existsSync(userProfile('old'))).toBe(true);

    const forced = await coi(['profile', 'delete', 'old', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/^Deleted profile old \(.*profiles\/old\)\n$/);
    expect(existsSync(join(sandbox.coiDir, 'profiles', 'old'))).toBe(false);
  });

  it('takes the answer on a terminal: anything but yes keeps the profile', async () => {
    mkdirSync(join(sandbox.coiDir, 'profiles', 'asked'), { recursive: true });
    writeFileSync(userProfile('asked'), '');
    const no = sandbox.terminal(['profile', 'delete', 'asked'], ws);
    await no.seen(/Delete profile asked \(.*\)\? \[y\/N\] /);
    no.term.write('n\r');
    expect(await no.exited).toBe(0);
    expect(no.screen()).toContain('Aborted.');
    expect(existsSync(userProfile('asked'))).toBe(true);

    const yes = sandbox.terminal(['profile', 'delete', 'asked'], ws);
    await yes.seen(/\[y\/N\] /);
    yes.term.write('y\r');
    expect(await yes.exited).toBe(0);
    expect(yes.screen()).toContain('Deleted profile asked');
    expect(existsSync(userProfile('asked'))).toBe(false);
  });

  it('deletes a workspace profile only with --project', async () => {
    const team = join(ws, '.coi', 'profiles', 'team');
    const plain = await coi(['profile', 'delete', 'team', '--force']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('(--project deletes it)');
    expect(existsSync(team)).toBe(true);
    expect((await coi(['profile', 'delete', 'team', '--project', '--force'])).code).toBe(0);
    expect(existsSync(team)).toBe(false);
  });
});
