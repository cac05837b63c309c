import { usageError } from './errors.js';

export type Format = 'text' | 'json';

/** Resolves `--format text|json` and `--json` (which wins), rejecting anything else with exit 2. */
export function outputFormat(opts: { format?: string; json?: boolean }): Format {
  if (opts.json) return 'json';
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw usageError(`--format: expected text or json, got "${format}"`);
  }
  return format;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
