import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ConfigIssue } from '../config/errors.js';
import { readLayerFile } from '../config/layer.js';
import { displayPath } from '../config/paths.js';
import { profileSchema } from '../config/schema.js';

/**
 * Checks one config or profile file on its own (syntax, keys, types, values); an empty list means
 * valid. Profile files may also say `inherits`, so the profile schema (a superset) is used.
 */
export function validateConfigFile(path: string, cwd: string, home = homedir()): ConfigIssue[] {
  const file = resolve(cwd, path);
  const read = readLayerFile(
    { kind: 'user', label: displayPath(file, home), file, trusted: true },
    profileSchema,
    { home, workspace: cwd },
    true,
  );
  return read?.issues ?? [];
}
