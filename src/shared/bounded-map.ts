/**
 * Sets `key` as the newest entry of `map` (insertion order: the oldest first), dropping the oldest
 * when `map` already holds `max` others.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
