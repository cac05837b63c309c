import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How this coi is installed: a git checkout (built in place) or an npm package. */
export interface Install {
  kind: 'checkout' | 'npm';
  /** The package's folder (the one with package.json, bin/, dist/). */
  root: string;
  name: string;
  /** As package.json says, without a `v`. */
  version: string;
}

/** What a `coi update core` does and says; `say` prints a line. */
export interface CoreUpdate {
  check?: boolean;
  force?: boolean;
  /** Prints lines (an empty one: a blank line). */
  say: (...lines: string[]) => void;
  /** Asks before installing; false: the user said no. */
  confirm: (question: string) => Promise<boolean>;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** This coi's install (`root`: another one, for tests). */
export function currentInstall(root = PACKAGE_ROOT): Install {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  // `.git` is a folder in a clone and a file in a worktree.
  const kind = existsSync(join(root, '.git')) ? 'checkout' : 'npm';
  return { kind, root: root.replace(/\/$/, ''), name: pkg.name, version: pkg.version };
}
