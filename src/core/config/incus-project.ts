import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ConfigIssue } from './errors.js';
import { displayPath } from './paths.js';
import { DEFAULT_CONFIG_FILE, layerFiles, type LayerFileOptions } from './sources.js';

/** The `[incus]` keys a read-only listing needs. */
export interface IncusListingKeys {
  project: string;
  /** A remote of the incus client config; "" is this host's unix socket. */
  remote: string;
}

const EXPECTED: Record<keyof IncusListingKeys, string> = {
  project: 'a project name',
  remote: 'the name of a remote of the incus client config, or "" for this host',
};

/**
 * `[incus] project` and `remote` of the effective config, for read-only commands that need
 * nothing else (`coi list`): the trusted files only (the workspace's may not set them) and no
 * validation of the other keys, so that neither zod nor the rest of the loader is loaded.
 * Problems with the files it reads are ConfigErrors, as loadConfig reports them.
 */
export async function incusListingKeys(
  options: Partial<LayerFileOptions> & { cwd: string; defaultsFile?: string },
): Promise<IncusListingKeys> {
  const home = resolve(options.home ?? homedir());
  const workspace = resolve(options.cwd);
  const files = layerFiles({ ...options, home, workspace, env: options.env ?? process.env });
  const keys: Partial<Record<keyof IncusListingKeys, unknown>> = {};
  for (const f of [
    { path: options.defaultsFile ?? DEFAULT_CONFIG_FILE, required: true, ours: true },
    ...files.filter((f) => f.trusted),
  ]) {
    const label = displayPath(f.path, home);
    const values = await readKeys(f.path, f.required, 'ours' in f);
    if (values instanceof Error)
      return configError({ file: label, key: '', expected: 'valid TOML', got: values.message });
    for (const key of Object.keys(EXPECTED) as (keyof IncusListingKeys)[]) {
      const value = values?.[key];
      if (value === undefined) continue;
      if (typeof value !== 'string')
        return configError({
          file: label,
          key: `incus.${key}`,
          expected: EXPECTED[key],
          got: JSON.stringify(value),
        });
      keys[key] = value;
    }
  }
  return keys as IncusListingKeys;
}

type FileKeys = Partial<Record<keyof IncusListingKeys, unknown>>;

/**
 * The file's `[incus] project` and `remote` (undefined: no file, or neither key in it). The TOML
 * parser is loaded only for a file that can name a key (importing and running it is a fifth of
 * `coi list`): a file without the words `project` and `remote` (or a backslash) cannot, and the
 * defaults file (coi's own, one `project = "…"` and one `remote = "…"` line in its `[incus]`
 * table, kept so by a unit test) is read by those lines.
 */
async function readKeys(
  path: string,
  required: boolean,
  ours: boolean,
): Promise<FileKeys | Error | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    return error as Error;
  }
  // A backslash may spell a key with an escape (`"proj\u0065ct"`).
  if (!text.includes('project') && !text.includes('remote') && !text.includes('\\'))
    return undefined;
  const project = ours ? DEFAULTS_PROJECT_LINE.exec(text) : null;
  const remote = ours ? DEFAULTS_REMOTE_LINE.exec(text) : null;
  if (project && remote) return { project: project[1], remote: remote[1] };
  try {
    const { parse } = await import('smol-toml');
    const doc = parse(text) as { incus?: FileKeys };
    return { project: doc.incus?.project, remote: doc.incus?.remote };
  } catch (error) {
    return new Error(
      (error as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''),
    );
  }
}

/** `project = "…"` in the `[incus]` table, before the next table, as the defaults file has it. */
export const DEFAULTS_PROJECT_LINE = /^\[incus\]\n(?:(?!\[)[^\n]*\n)*?project = "([^"\\]*)"$/m;
/** `remote = "…"` in the `[incus]` table, likewise. */
export const DEFAULTS_REMOTE_LINE = /^\[incus\]\n(?:(?!\[)[^\n]*\n)*?remote = "([^"\\]*)"$/m;

async function configError(issue: ConfigIssue): Promise<never> {
  // The error path may load the full error module (and zod with it).
  const { ConfigError } = await import('./errors.js');
  throw new ConfigError([issue]);
}
