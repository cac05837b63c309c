import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROFILES_DIR } from '../../../../src/core/config/sources.js';
import { DRAFT_FILE, editProfile, type Editor } from '../../../../src/core/profile/edit.js';
import { makeHost } from '../config/fixture.js';

const ORIGINAL = '[container]\nimage = "old"\n';

function setUp() {
  const host = makeHost();
  const dir = join(host.home, '.coi', 'profiles', 'dev');
  const file = host.write(join(dir, 'config.toml'), ORIGINAL);
  return {
    ctx: { workspace: host.workspace, home: host.home },
    file,
    draft: join(dir, DRAFT_FILE),
  };
}

/** An editor that rewrites the file (or, given a function, transforms it) and exits with `code`. */
function editor(
  content: string | ((old: string) => string),
  code = 0,
): Editor & { opened: string[] } {
  const opened: string[] = [];
  return {
    name: 'fake-editor',
    opened,
    run: (path) => {
      opened.push(path);
      const old = readFileSync(path, 'utf8');
      writeFileSync(path, typeof content === 'string' ? content : content(old));
      return Promise.resolve(code);
    },
  };
}

describe('editProfile', () => {
  it('edits a draft next to the profile and puts it in place once it validates', async () => {
    const { ctx, file, draft } = setUp();
    const ed = editor((old) => old.replace('"old"', '"new"'));
    expect(await editProfile('dev', ctx, ed)).toEqual({ status: 'updated', file });
    expect(ed.opened).toEqual([draft]);
    expect(readFileSync(file, 'utf8')).toBe('[container]\nimage = "new"\n');
    expect(existsSync(draft)).toBe(false);
  });

  it('keeps the old file when the edit is invalid, and the edit for the next try', async () => {
    const { ctx, file, draft } = setUp();
    const broken = editProfile('dev', ctx, editor('[container]\nimgae = "new"\n'));
    await expect(broken).rejects.toMatchObject({ kind: 'config' });
    await expect(broken).rejects.toThrow(
      /the edit is not valid, so ~\/\.coi\/profiles\/dev\/config\.toml was not changed:\n {2}.*container\.imgae.*did you mean "container\.image"\?\nThe edit is kept in ~\/\.coi\/profiles\/dev\/config\.edit\.toml; `coi profile edit dev` continues from it\./,
    );
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(readFileSync(draft, 'utf8')).toBe('[container]\nimgae = "new"\n');

    const resumed: string[] = [];
    const fix = editor((old) => old.replace('imgae', 'image'));
    expect(await editProfile('dev', ctx, fix, (d) => resumed.push(d))).toMatchObject({
      status: 'updated',
    });
    expect(resumed).toEqual(['~/.coi/profiles/dev/config.edit.toml']);
    expect(readFileSync(file, 'utf8')).toBe('[container]\nimage = "new"\n');
  });

  it('leaves everything as it was when the editor fails or nothing changed', async () => {
    const { ctx, file, draft } = setUp();
    await expect(editProfile('dev', ctx, editor('[tool]\nname = "pi"\n', 1))).rejects.toThrow(
      'the editor (fake-editor) exited with code 1; ~/.coi/profiles/dev/config.toml was not changed',
    );
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(existsSync(draft)).toBe(false);
    expect(await editProfile('dev', ctx, editor(ORIGINAL))).toEqual({ status: 'unchanged', file });
    expect(existsSync(draft)).toBe(false);
  });

  it('refuses the built-in profile and names a missing one', async () => {
    const { ctx } = setUp();
    await expect(editProfile('default', ctx, editor(''))).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('`coi profile create default`'),
    });
    await expect(editProfile('ghost', ctx, editor(''))).rejects.toThrow(
      'no profile "ghost" (`coi profile list` shows them; `coi profile create ghost` makes it)',
    );
  });

  it('refuses to edit the shipped hardened profile, saying how to make one of your own', async () => {
    const { ctx } = setUp();
    const builtIn = join(BUILT_IN_PROFILES_DIR, 'hardened', 'config.toml');
    const before = readFileSync(builtIn, 'utf8');
    const used = editor('[container]\ndocker = true\n');
    await expect(editProfile('hardened', ctx, used)).rejects.toMatchObject({
      kind: 'usage',
      message:
        '"hardened" is built in and cannot be edited; make your own with ' +
        '`coi profile create my-hardened --inherits hardened`, or replace it with `coi profile create hardened`',
    });
    expect(used.opened).toEqual([]);
    expect(readFileSync(builtIn, 'utf8')).toBe(before);
  });
});
