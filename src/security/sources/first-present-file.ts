import { readText } from './proc-read.js';

/**
 * A reader of whichever of `candidates` (in order of preference) the host has, found once and
 * kept: a host's cgroup layout does not change under a running container, and each candidate it
 * lacks costs a thrown ENOENT on every sample. When the kept file goes (the container stopped),
 * the next read looks through all of them again.
 */
export function firstPresentFile(candidates: readonly string[]): () => string | undefined {
  let kept: string | undefined;
  return () => {
    if (kept !== undefined) {
      const text = readText(kept);
      if (text !== undefined) return text;
      kept = undefined;
    }
    for (const file of candidates) {
      const text = readText(file);
      if (text === undefined) continue;
      kept = file;
      return text;
    }
    return undefined;
  };
}
