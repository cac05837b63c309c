import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../config/index.js';
import { displayPath } from '../config/paths.js';
import { ProfileAdminError } from './admin.js';
import { coiDirOf, homeOf, type ProfileContext, type ProfileScope } from './scope.js';

const HEADER = [
  '# coi configuration. Every setting below is commented out, so this file changes nothing yet:',
  '# uncomment a [section] line and the keys under it that you want to change, then edit them.',
  '# The values shown are the built-in defaults. `coi config show` prints the effective',
  '# configuration; `coi config validate FILE` checks this file.',
  '#',
];

/** The built-in defaults (one source of truth) with every setting commented out. */
export function starterConfig(defaults = readFileSync(DEFAULT_CONFIG_FILE, 'utf8')): string {
  const body = defaults
    .split('\n')
    .map((line) => (line.trim() === '' || line.trimStart().startsWith('#') ? line : `# ${line}`));
  return [...HEADER, ...body].join('\n');
}

/**
 * `coi profile create default`: writes the starter as the main config the built-in profile
 * stands for, `~/.coi/config.toml` (user) or `./.coi/config.toml` (project). Never overwrites.
 */
export async function createMainConfig(ctx: ProfileContext, scope: ProfileScope): Promise<string> {
  const file = join(coiDirOf(scope, ctx), 'config.toml');
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, starterConfig(), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new ProfileAdminError(
      `${displayPath(file, homeOf(ctx))} already exists; coi does not overwrite it (edit it, or remove it first)`,
    );
  }
  return file;
}
