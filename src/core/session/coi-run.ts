import { lstat, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CoiError } from '../../shared/errors.js';

const SCRIPT = 'coi-run';

/**
 * `coi run` without a command runs the workspace's `./coi-run`: an executable file, or a symlink
 * that resolves to one inside the workspace (the container sees the workspace only). Returns its
 * path inside the container; anything else is the user's to fix (exit 2, with the reason).
 */
export async function coiRunScript(workspace: string): Promise<string> {
  const path = join(workspace, SCRIPT);
  const refuse = (why: string) => new CoiError(`no command given, and ./${SCRIPT} ${why}`, 'usage');
  const link = await lstat(path).catch(() => undefined);
  if (!link) {
    throw refuse(
      `does not exist in ${workspace}: give a command (coi run -- npm test) or create an executable ./${SCRIPT}`,
    );
  }
  const root = await realpath(workspace);
  const target = await realpath(path).catch(() => undefined);
  if (!target) throw refuse('is a symlink to nothing: fix or remove it');
  const inside = relative(root, target);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || inside.startsWith(sep)) {
    throw refuse(`is a symlink to ${target}, outside the workspace: the container cannot see it`);
  }
  const file = await stat(target);
  if (!file.isFile()) throw refuse(`is not a file: make it an executable script`);
  if ((file.mode & 0o111) === 0) throw refuse(`is not executable: chmod +x ${SCRIPT}`);
  return `/workspace/${inside.split(sep).join('/')}`;
}
