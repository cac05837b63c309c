// Paired rounds for benches on a shared machine, whose speed swings by 2× within a minute: each
// round measures the baseline and a path next to each other (which goes first alternates), and a
// figure is the median of the rounds' comparisons, printed with their spread, never a comparison
// of two medians taken minutes apart.

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** `[min–max]` of `values` with `digits` decimals. */
export function spread(values: readonly number[], digits: number): string {
  return `[${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}]`;
}

/** Runs `measure` on the baseline and on `path`, adjacent, the baseline first in even rounds. */
export async function pairInRound<P, T>(
  round: number,
  baseline: P,
  path: P,
  measure: (p: P) => Promise<T>,
): Promise<{ base: T; path: T }> {
  if (round % 2 === 0) {
    const base = await measure(baseline);
    return { base, path: await measure(path) };
  }
  const measured = await measure(path);
  return { base: await measure(baseline), path: measured };
}

/** `items` rotated by `round`, so no path is always measured first (or last) in a round. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % Math.max(1, items.length);
  return [...items.slice(k), ...items.slice(0, k)];
}
