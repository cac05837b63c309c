import type { z } from 'zod';
import { knownKeyPaths, tableAt } from './schema.js';
import { nearest } from './suggest.js';
import { CoiError } from '../../shared/errors.js';

/** One problem in one config source, precise enough to fix without reading the docs. */
export interface ConfigIssue {
  /** The source as shown to the user (`~/.coi/config.toml`, `command line`, …). */
  file: string;
  /** Dotted key path (`network.mode`, `mounts.default[0].host`); '' for the file as a whole. */
  key: string;
  expected: string;
  got: string;
  hint?: string;
  /** Position of a TOML syntax error. */
  line?: number;
  column?: number;
}

export function formatIssue(issue: ConfigIssue): string {
  const where =
    issue.line === undefined
      ? `${issue.file}${issue.key ? `: ${issue.key}` : ''}`
      : `${issue.file}:${issue.line}:${issue.column ?? 0}`;
  const hint = issue.hint ? `; ${issue.hint}` : '';
  return `${where}: expected ${issue.expected}; got ${issue.got}${hint}`;
}

/** Invalid configuration; the message has one line per issue. */
export class ConfigError extends CoiError {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'), 'config');
    this.name = 'ConfigError';
  }
}

/** A setting that was dropped rather than refused (untrusted workspace config). */
export interface ConfigWarning {
  file: string;
  key: string;
  /** The whole line to print. */
  message: string;
}

function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** How a found value reads in a message: strings quoted, tables and arrays summarised. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === 'object' && value !== null) return 'a table';
  return JSON.stringify(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'a table',
  record: 'a table',
};

/** Turns zod's findings on one source into issues, reading the offending values from `data`. */
export function issuesFromZod(
  file: string,
  schema: z.ZodType,
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    const path = issue.path;
    const got = describeValue(valueAt(data, path));
    const at = (expected: string, extra: Partial<ConfigIssue> = {}): ConfigIssue[] => [
      { file, key: keyPath(path), expected, got, ...extra },
    ];
    switch (issue.code) {
      case 'invalid_type':
        return at(TYPE_NAMES[issue.expected] ?? issue.expected);
      case 'invalid_value':
        return at(`one of ${issue.values.map(String).join(', ')}`);
      case 'unrecognized_keys':
        return issue.keys.map((key) => unknownKey(file, schema, path, key));
      case 'invalid_key':
        return [
          {
            file,
            key: keyPath(path),
            expected: issue.issues[0]?.message ?? 'a valid key',
            got: `the key ${JSON.stringify(path.at(-1))}`,
          },
        ];
      case 'too_small':
        return at(bound(issue.origin, issue.inclusive ? '>=' : '>', issue.minimum));
      case 'too_big':
        return at(bound(issue.origin, issue.inclusive ? '<=' : '<', issue.maximum));
      default:
        return at(issue.message);
    }
  });
}

function bound(origin: string, op: string, limit: number | bigint): string {
  if (origin === 'string')
    return Number(limit) === 1 && op === '>='
      ? 'a non-empty string'
      : `a string of length ${op} ${limit}`;
  if (origin === 'array') return `an array with ${op} ${limit} entries`;
  return `a number ${op} ${limit}`;
}

function unknownKey(
  file: string,
  schema: z.ZodType,
  path: readonly PropertyKey[],
  key: string,
): ConfigIssue {
  const table = tableAt(schema, path);
  const siblings = table ? Object.keys(table.shape) : [];
  const parent = keyPath(path);
  const full = parent ? `${parent}.${key}` : key;
  const local = nearest(key, siblings);
  const suggestion = local ? (parent ? `${parent}.${local}` : local) : nearestByLeaf(schema, key);
  return {
    file,
    key: full,
    expected: parent
      ? `a key of [${parent.replace(/\[\d+\]/g, '')}] (${siblings.join(', ')})`
      : `a known section (${siblings.join(', ')})`,
    got: `unknown key ${JSON.stringify(key)}`,
    ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}),
  };
}

/** A key in the wrong table: suggest where a key of that name lives. */
function nearestByLeaf(schema: z.ZodType, key: string): string | undefined {
  const byLeaf = new Map<string, string>();
  for (const path of knownKeyPaths(schema)) {
    const leaf = path.split('.').at(-1)!;
    if (!byLeaf.has(leaf)) byLeaf.set(leaf, path);
  }
  const leaf = nearest(key, byLeaf.keys());
  return leaf === undefined ? undefined : byLeaf.get(leaf);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}
