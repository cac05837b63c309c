import { setBounded } from '../../shared/bounded-map.js';
import type { AReply } from './lookup-a.js';

export interface NameCacheOptions {
  /** Asks the host's resolver (`lookupA` against its upstream). */
  query: (name: string) => Promise<AReply>;
  now?: () => number;
  /** Names kept, least recently used dropped first. */
  maxEntries?: number;
  /** The longest an answer is kept, whatever its TTL says (seconds). */
  maxTtl?: number;
  /** The longest a negative answer is kept, and how long when it carries no SOA (seconds). */
  negativeTtl?: number;
}

interface Entry {
  addresses: string[];
  expiresAtMs: number;
}

const MAX_ENTRIES = 4096;
const MAX_TTL_SECONDS = 300;
const NEGATIVE_TTL_SECONDS = 5;

/**
 * The IPv4 addresses of names, each asked of the resolver once per TTL: the egress proxy's
 * any-name ports resolve the name of every connection, and a query per connection added most of a
 * millisecond to each. Concurrent lookups of a name share one query; a failed query (timeout,
 * unreachable resolver) is not kept. Only addresses are cached: what a connection may reach is
 * still decided per connection.
 */
export class NameCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string[]>>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly maxTtl: number;
  private readonly negativeTtl: number;

  constructor(private readonly opts: NameCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.maxEntries = opts.maxEntries ?? MAX_ENTRIES;
    this.maxTtl = opts.maxTtl ?? MAX_TTL_SECONDS;
    this.negativeTtl = opts.negativeTtl ?? NEGATIVE_TTL_SECONDS;
  }

  addresses(name: string): Promise<string[]> {
    const key = name.toLowerCase().replace(/\.$/, '');
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (entry.expiresAtMs > this.now()) {
        this.entries.set(key, entry); // most recently used last
        return Promise.resolve(entry.addresses);
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const asked = this.opts
      .query(key)
      .then((reply) => {
        this.keep(key, reply);
        return reply.addresses;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, asked);
    return asked;
  }

  private keep(key: string, reply: AReply): void {
    const seconds = reply.negative
      ? Math.min(reply.ttl ?? this.negativeTtl, this.negativeTtl)
      : Math.min(reply.ttl ?? 0, this.maxTtl);
    if (seconds <= 0) return;
    const entry = { addresses: reply.addresses, expiresAtMs: this.now() + seconds * 1000 };
    setBounded(this.entries, key, entry, this.maxEntries);
  }
}
