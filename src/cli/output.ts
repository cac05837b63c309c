import { enumChoice } from './options/enum.js';

export const FORMATS = ['text', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** Resolves `--format text|json` and `--json` (which wins), rejecting anything else with exit 2. */
export function outputFormat(opts: { format?: string; json?: boolean }): Format {
  if (opts.json) return 'json';
  return enumChoice('format', opts.format ?? 'text', FORMATS);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
