import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { issuesFromZod, type ConfigIssue } from './errors.js';
import { normalizeLayer } from './normalize.js';
import type { ConfigLayer } from './schema.js';

export type LayerKind = 'default' | 'system' | 'user' | 'workspace' | 'env' | 'profile' | 'cli';

/** Where a layer comes from and whether it may weaken protection. */
export interface LayerSource {
  kind: LayerKind;
  /** As shown in messages: `~/.coi/config.toml`, `command line`, … */
  label: string;
  /** Absolute path, for file layers. */
  file?: string;
  trusted: boolean;
  /** Name of the profile, for profile layers. */
  profile?: string;
  /** sha256 (hex) of the file's bytes as read, for file layers: what `coi trust` approves. */
  sha256?: string;
}

export interface Layer<T extends ConfigLayer = ConfigLayer> {
  source: LayerSource;
  data: T;
}

export interface LayerContext {
  home: string;
  workspace: string;
}

export type LayerResult<T extends ConfigLayer> =
  { layer: Layer<T>; issues: [] } | { layer: undefined; issues: ConfigIssue[] };

/** Reads one TOML file; a missing file is no layer at all unless `required`. */
export function readLayerFile<T extends ConfigLayer>(
  source: LayerSource & { file: string },
  schema: z.ZodType<T>,
  ctx: LayerContext,
  required = false,
): LayerResult<T> | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(source.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    const got = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return fail({ file: source.label, key: '', expected: 'a readable TOML file', got });
  }
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return fail({
      file: source.label,
      key: '',
      expected: 'valid TOML',
      got: reason,
      line: error.line,
      column: error.column,
    });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return layerFromData({ ...source, sha256 }, raw, schema, { ...ctx, base: dirname(source.file) });
}

/**
 * Validates already-parsed data (a TOML document, or the CLI's overrides) and normalises it.
 * `base` is the directory relative build scripts are taken from.
 */
export function layerFromData<T extends ConfigLayer>(
  source: LayerSource,
  raw: unknown,
  schema: z.ZodType<T>,
  ctx: LayerContext & { base: string },
): LayerResult<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    return fail(...issuesFromZod(source.label, schema, raw, parsed.error.issues));
  const normalized = normalizeLayer(parsed.data, source.label, ctx);
  if (normalized.issues.length > 0) return fail(...normalized.issues);
  return { layer: { source, data: normalized.data }, issues: [] };
}

function fail(...issues: ConfigIssue[]): { layer: undefined; issues: ConfigIssue[] } {
  return { layer: undefined, issues };
}
