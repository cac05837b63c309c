import { sanitize } from '../format/text-width.js';

/** Flattens evidence into `path: value` lines (nested objects use dotted paths). */
export function evidenceLines(evidence: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(evidence).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return evidenceLines(value as Record<string, unknown>, path);
    }
    const text = Array.isArray(value) ? value.map((v) => String(v)).join(', ') : String(value);
    return [`${path}: ${sanitize(text)}`];
  });
}
