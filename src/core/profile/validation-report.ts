import type { ConfigIssue } from '../config/errors.js';

/** One problem, as `coi validate profile --json` reports it. */
export interface ValidationError {
  /** JSON Pointer (RFC 6901) to the value, `/network/mode`; "" for the file as a whole. */
  path: string;
  message: string;
}

export interface ValidationReport {
  valid: boolean;
  errors: ValidationError[];
}

/** `mounts.default[0].host` → `/mounts/default/0/host`. */
export function jsonPointer(key: string): string {
  const segments = key.match(/[^.[\]]+/g) ?? [];
  return segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function message(issue: ConfigIssue): string {
  const at = issue.line === undefined ? '' : `line ${issue.line}, column ${issue.column ?? 0}: `;
  return `${at}expected ${issue.expected}; got ${issue.got}${issue.hint ? `; ${issue.hint}` : ''}`;
}

export function validationReport(issues: ConfigIssue[]): ValidationReport {
  return {
    valid: issues.length === 0,
    errors: issues.map((i) => ({ path: jsonPointer(i.key), message: message(i) })),
  };
}
