import type { EffectiveEntry } from '../../core/config/index.js';
import { printJson } from '../output.js';

/** `key = value   # source` lines, or JSON entries with their origin. */
export function printEntries(entries: EffectiveEntry[], format: 'text' | 'json'): void {
  if (format === 'json') {
    printJson(
      entries.map((e) => ({ key: e.key, value: e.value, source: e.origin?.source ?? null })),
    );
    return;
  }
  const shown = entries.map((e) => [
    `${e.key} = ${JSON.stringify(e.value)}`,
    e.origin?.source ?? 'unset',
  ]);
  const width = Math.min(70, Math.max(...shown.map(([l]) => l!.length)));
  process.stdout.write(shown.map(([l, s]) => `${l!.padEnd(width)}  # ${s}`).join('\n') + '\n');
}
