/**
 * The proxy's ports on the gateway, one leased per destination (`address:port`) for as long as
 * coi's resolver keeps that destination learned. A lease is renewed by leasing the same key again;
 * expired leases are given to new destinations only when no free port is left.
 */
export class PortPool {
  private readonly leases = new Map<string, { port: number; until: number }>();
  private readonly byPort = new Map<number, string>();
  private readonly unusable = new Set<number>();

  constructor(
    private readonly first: number,
    private readonly count: number,
  ) {
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 1 || count < 1)
      throw new Error(`proxy port range ${first}+${count} is not a range of ports`);
    if (first + count - 1 > 65535)
      throw new Error(`proxy port range ${first}-${first + count - 1} runs past port 65535`);
  }

  /**
   * The key's port, its lease extended to `until`; `fresh` when the port is newly given (start
   * listening on it). Undefined when every port is leased and none has expired.
   */
  lease(key: string, until: number, now: number): { port: number; fresh: boolean } | undefined {
    const held = this.leases.get(key);
    if (held) {
      held.until = Math.max(held.until, until);
      return { port: held.port, fresh: false };
    }
    const port = this.freePort() ?? this.reclaim(now);
    if (port === undefined) return undefined;
    this.leases.set(key, { port, until });
    this.byPort.set(port, key);
    return { port, fresh: true };
  }

  /** The destination a port stands for, while leased. */
  keyOf(port: number): string | undefined {
    return this.byPort.get(port);
  }

  /**
   * Ends a lease and returns its port; with `unusable` the port is never given again (another
   * program holds it).
   */
  release(key: string, unusable = false): number | undefined {
    const held = this.leases.get(key);
    if (!held) return undefined;
    this.leases.delete(key);
    this.byPort.delete(held.port);
    if (unusable) this.unusable.add(held.port);
    return held.port;
  }

  /** Keys whose leases ended before `now`. */
  expired(now: number): string[] {
    return [...this.leases].filter(([, l]) => l.until < now).map(([key]) => key);
  }

  get size(): number {
    return this.leases.size;
  }

  private freePort(): number | undefined {
    for (let port = this.first; port < this.first + this.count; port += 1)
      if (!this.byPort.has(port) && !this.unusable.has(port)) return port;
    return undefined;
  }

  /** Frees the longest-expired lease and returns its port. */
  private reclaim(now: number): number | undefined {
    const oldest = [...this.leases]
      .filter(([, l]) => l.until < now)
      .sort(([, a], [, b]) => a.until - b.until)[0];
    if (!oldest) return undefined;
    const [key, { port }] = oldest;
    this.release(key);
    return port;
  }
}
