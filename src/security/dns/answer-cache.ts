import { setBounded } from '../../shared/bounded-map.js';
import type { Answer, Question } from './wire.js';

export interface CachedAnswer {
  question: Question;
  /** The upstream reply as received (its ID is rewritten per client). */
  message: Buffer;
  answers: Answer[];
  /** Where `message` holds the answer TTLs, to serve it with the time left. */
  ttlOffsets: number[];
  /** Smallest answer TTL in seconds (0 when there are no answers). */
  ttl: number;
  fetchedAtMs: number;
}

const MAX_ENTRIES = 10_000;

/**
 * Upstream answers by question. A fresh entry answers without asking upstream; an expired one is
 * kept so allowed names still resolve while the upstream resolver is down.
 */
export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  get(question: Question): CachedAnswer | undefined {
    return this.entries.get(key(question));
  }

  put(entry: CachedAnswer): void {
    setBounded(this.entries, key(entry.question), entry, this.maxEntries);
  }

  questions(): Question[] {
    return [...this.entries.values()].map((e) => e.question);
  }
}

/** Seconds an entry has left (≤ 0: expired). */
export function remainingTtl(entry: CachedAnswer, nowMs: number): number {
  return entry.ttl - Math.floor((nowMs - entry.fetchedAtMs) / 1000);
}

function key(q: Question): string {
  return `${q.name.toLowerCase()}|${q.type}|${q.class}`;
}
