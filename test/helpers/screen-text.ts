import type { StyledRun } from '../../src/ui/terminal/screen-snapshot.js';

/** A snapshot row as plain text. */
export function runsToText(runs: readonly StyledRun[]): string {
  return runs.map((r) => r.text).join('');
}
