/**
 * Counts events per key over a sliding window, in one-second buckets so memory stays bounded by the
 * window length whatever the event rate.
 */
export class SlidingCounter {
  private readonly keys = new Map<string, Array<[second: number, count: number]>>();

  constructor(
    readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Records one event for `key` at `nowMs` and returns the count inside the window. */
  add(key: string, nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let buckets = this.keys.get(key);
    if (!buckets) {
      if (this.keys.size >= this.maxKeys) this.sweep(nowMs);
      buckets = [];
      this.keys.set(key, buckets);
    }
    const last = buckets.at(-1);
    if (last && last[0] === second) last[1] += 1;
    else buckets.push([second, 1]);
    this.expire(buckets, nowMs);
    return buckets.reduce((sum, [, count]) => sum + count, 0);
  }

  private expire(buckets: Array<[number, number]>, nowMs: number): void {
    const oldest = Math.floor((nowMs - this.windowMs) / 1000);
    while (buckets.length > 0 && buckets[0]![0] <= oldest) buckets.shift();
  }

  private sweep(nowMs: number): void {
    for (const [key, buckets] of this.keys) {
      this.expire(buckets, nowMs);
      if (buckets.length === 0) this.keys.delete(key);
    }
    // Still full: forget the oldest keys rather than grow without bound.
    for (const key of this.keys.keys()) {
      if (this.keys.size < this.maxKeys) break;
      this.keys.delete(key);
    }
  }
}
