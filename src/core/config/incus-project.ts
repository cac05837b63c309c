import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ConfigIssue } from './errors.js';
import { displayPath } from './paths.js';
import { DEFAULT_CONFIG_FILE, layerFiles, type LayerFileOptions } from './sources.js';

/**
 * `[incus] project` of the effective config, for read-only commands that need nothing else
 * (`coi list`): the trusted files only (the workspace's may not set it) and no validation of the
 * other keys, so that neither zod nor the rest of the loader is loaded. Problems with the files
 * it reads are ConfigErrors, as loadConfig reports them.
 */
export async function incusProject(
  options: Partial<LayerFileOptions> & { cwd: string; defaultsFile?: string },
): Promise<string> {
  const home = resolve(options.home ?? homedir());
  const workspace = resolve(options.cwd);
  const files = layerFiles({ ...options, home, workspace, env: options.env ?? process.env });
  let project: unknown;
  for (const f of [
    { path: options.defaultsFile ?? DEFAULT_CONFIG_FILE, required: true, ours: true },
    ...files.filter((f) => f.trusted),
  ]) {
    const label = displayPath(f.path, home);
    const value = await readProject(f.path, f.required, 'ours' in f);
    if (value instanceof Error)
      return configError({ file: label, key: '', expected: 'valid TOML', got: value.message });
    if (value === undefined) continue;
    if (typeof value !== 'string')
      return configError({
        file: label,
        key: 'incus.project',
        expected: 'a project name',
        got: JSON.stringify(value),
      });
    project = value;
  }
  return project as string;
}

/**
 * The file's `[incus] project` (undefined: no file, or the key is not in it). The TOML parser is
 * loaded only for a file that can name the key (importing and running it is a fifth of `coi list`):
 * a file without the word `project` (or a backslash) cannot, and the defaults file (coi's own, one `project = "…"`
 * line in its `[incus]` table, kept so by a unit test) is read by that line.
 */
async function readProject(path: string, required: boolean, ours: boolean): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    return error as Error;
  }
  // A backslash may spell the key with an escape (`"proj\u0065ct"`).
  if (!text.includes('project') && !text.includes('\\')) return undefined;
  const line = ours ? DEFAULTS_PROJECT_LINE.exec(text) : null;
  if (line) return line[1];
  try {
    const { parse } = await import('smol-toml');
    const doc = parse(text) as { incus?: { project?: unknown } };
    return doc.incus?.project;
  } catch (error) {
    return new Error(
      (error as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''),
    );
  }
}

/** `project = "…"` in the `[incus]` table, before the next table, as the defaults file has it. */
export const DEFAULTS_PROJECT_LINE = /^\[incus\]\n(?:(?!\[)[^\n]*\n)*?project = "([^"\\]*)"$/m;

async function configError(issue: ConfigIssue): Promise<never> {
  // The error path may load the full error module (and zod with it).
  const { ConfigError } = await import('./errors.js');
  throw new ConfigError([issue]);
}
