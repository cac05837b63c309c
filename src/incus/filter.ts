/**
 * Builds `?filter=` expressions for list endpoints.
 *
 * The daemon splits the expression on whitespace and compiles string values into
 * case-insensitive regular expressions, anchored unless they contain `^` or `$`; a quote only
 * closes in a later whitespace-separated token (6.0.4), and a missing key reads as "".
 * So a literal value is rendered as `(?-i)^<escaped>$`: exact and case-sensitive, every regex
 * metacharacter escaped, and whitespace written as `\x20`-style escapes, so no value ever needs
 * quotes. Boolean fields (`ephemeral`, `stateful`) take a bare `true`/`false`.
 */

export type FilterOperator = 'eq' | 'ne';

export interface FilterTerm {
  /** Dotted path: `name`, `status`, `config.user.coi.slot`, `expanded_config.X`, `devices.eth0.X`. */
  field: string;
  op?: FilterOperator;
  /** Matched exactly; a boolean for boolean fields. */
  value?: string | boolean;
  /** A regular expression (Go RE2) instead of `value`, anchored and case-insensitive unless it says otherwise. */
  pattern?: string;
  not?: boolean;
}

const FIELD = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;
const REGEX_META = /[\\^$.|?*+()[\]{}]/g;

/** A Go RE2 pattern matching exactly `value` (case-sensitive), containing no whitespace. */
export function literalPattern(value: string): string {
  const escaped = value
    .replace(REGEX_META, (c) => `\\${c}`)
    .replace(/\s/gu, (c) => `\\x{${c.codePointAt(0)!.toString(16)}}`);
  return `(?-i)^${escaped}$`;
}

function renderTerm(term: FilterTerm): string {
  if (!FIELD.test(term.field)) {
    throw new Error(
      `invalid filter field "${term.field}": use a dotted path of letters, digits, "_", "-", "/" (e.g. config.user.coi.slot)`,
    );
  }
  let value: string;
  if (term.pattern !== undefined) {
    if (/\s/.test(term.pattern) || term.pattern === '') {
      throw new Error(
        `invalid filter pattern "${term.pattern}" for ${term.field}: write whitespace as \\s or \\x20`,
      );
    }
    if (term.value !== undefined)
      throw new Error(`filter term for ${term.field} has both value and pattern`);
    value = term.pattern;
  } else if (typeof term.value === 'boolean') {
    value = String(term.value);
  } else if (typeof term.value === 'string') {
    value = literalPattern(term.value);
  } else {
    throw new Error(`filter term for ${term.field} needs a value or a pattern`);
  }
  return `${term.not ? 'not ' : ''}${term.field} ${term.op ?? 'eq'} ${value}`;
}

/**
 * The filter expression for `terms`, joined with `and` (or `or`). A plain object means
 * "each key equals its value": `filterExpression({ 'config.user.coi.slot': '1', status: 'Running' })`.
 */
export function filterExpression(
  terms: FilterTerm[] | Record<string, string | boolean>,
  join: 'and' | 'or' = 'and',
): string {
  const list = Array.isArray(terms)
    ? terms
    : Object.entries(terms).map(([field, value]): FilterTerm => ({ field, value }));
  if (list.length === 0) throw new Error('empty filter: leave the filter out to list everything');
  return list.map(renderTerm).join(` ${join} `);
}
