import { existsSync } from 'node:fs';
import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIssue, listProfiles } from '../config/index.js';
import { displayPath } from '../config/paths.js';
import { builtInProfile, ProfileAdminError } from './admin.js';
import { homeOf, type ProfileContext } from './scope.js';
import { validateConfigFile } from './validate-file.js';

/** The copy being edited, next to the profile so relative paths in it mean the same. */
export const DRAFT_FILE = 'config.edit.toml';

export interface Editor {
  /** As named in messages (`vi`, `code --wait`). */
  name: string;
  /** Edits the file in place and resolves with the editor's exit code. */
  run(file: string): Promise<number>;
}

export type EditOutcome = { status: 'updated' | 'unchanged'; file: string };

/**
 * `coi profile edit`: the profile's config.toml is edited as a draft copy, which replaces it only
 * once it validates, so a broken edit never breaks the profile. A rejected draft stays for the
 * next edit to continue from (`onResume` says so before the editor opens).
 */
export async function editProfile(
  name: string,
  ctx: ProfileContext,
  editor: Editor,
  onResume: (draft: string) => void = () => undefined,
): Promise<EditOutcome> {
  const home = homeOf(ctx);
  if (name === 'default')
    throw new ProfileAdminError(
      '"default" is the built-in profile and has no file of its own; edit ~/.coi/config.toml instead (`coi profile create default` writes a commented one)',
      'usage',
    );
  const found = listProfiles({ home, workspace: ctx.workspace }).filter((p) => p.name === name);
  if (found.length !== 1)
    throw new ProfileAdminError(
      found.length
        ? `profile "${name}" exists twice (${found.map((p) => displayPath(p.file, home)).join(' and ')}); rename or remove one`
        : `no profile "${name}" (\`coi profile list\` shows them; \`coi profile create ${name}\` makes it)`,
    );
  if (found[0]!.scope === 'built-in') throw builtInProfile(name, 'edited');
  const { file, dir } = found[0]!;
  const draft = join(dir, DRAFT_FILE);
  const shown = { file: displayPath(file, home), draft: displayPath(draft, home) };
  const resumed = existsSync(draft);
  if (resumed) onResume(shown.draft);
  else await copyFile(file, draft);

  const code = await editor.run(draft);
  if (code !== 0) {
    if (!resumed) await rm(draft, { force: true });
    throw new ProfileAdminError(
      `the editor (${editor.name}) exited with code ${code}; ${shown.file} was not changed`,
    );
  }
  if ((await readFile(draft, 'utf8')) === (await readFile(file, 'utf8'))) {
    await rm(draft);
    return { status: 'unchanged', file };
  }
  const issues = validateConfigFile(draft, ctx.workspace, home);
  if (issues.length)
    throw new ProfileAdminError(
      [
        `the edit is not valid, so ${shown.file} was not changed:`,
        ...issues.map((i) => `  ${formatIssue(i)}`),
        `The edit is kept in ${shown.draft}; \`coi profile edit ${name}\` continues from it.`,
      ].join('\n'),
      'config',
    );
  await rename(draft, file);
  return { status: 'updated', file };
}
