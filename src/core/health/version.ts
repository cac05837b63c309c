/** Whether a dotted version (as numbers) is older than `min`; missing parts count as 0. */
export function olderThan(version: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < min.length; i++) {
    const part = version[i] ?? 0;
    if (part !== min[i]) return part < min[i]!;
  }
  return false;
}
