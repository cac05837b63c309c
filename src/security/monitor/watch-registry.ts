import type { WatchedContainer } from './container-watch.js';

/** What the registry needs of a watch (a `ContainerWatch`). */
export interface Watch {
  readonly container: WatchedContainer;
  stop(): void;
}

export interface WatchRegistryOptions {
  /** The container's IPv4 now ('' when it has none, or it cannot be read). */
  lookupIpv4(name: string): Promise<string>;
  /** An attach failed; the container stays unwatched until its next event or resync. */
  onAttachError(name: string, err: Error): void;
}

interface Entry<W> {
  watch: W;
  /** Open mode: reaching private networks is the user's choice there, not a threat. */
  openMode: boolean;
}

/**
 * The containers the daemon watches, by name: one attach at a time per container (a second
 * request joins the one under way), lookups by name and by address, and waiting for an attach.
 */
export class WatchRegistry<W extends Watch> {
  private readonly entries = new Map<string, Entry<W>>();
  private readonly attaching = new Map<string, Promise<void>>();

  constructor(private readonly opts: WatchRegistryOptions) {}

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): W | undefined {
    return this.entries.get(name)?.watch;
  }

  openMode(name: string): boolean {
    return this.entries.get(name)?.openMode ?? false;
  }

  /** The watched container holding `ip`. */
  containerOf(ip: string): WatchedContainer | undefined {
    for (const { watch } of this.entries.values())
      if (watch.container.ipv4 === ip) return watch.container;
    return undefined;
  }

  /** Runs `work` to attach `name`, unless an attach of `name` is under way: then joins that one. */
  attach(name: string, work: () => Promise<void>): Promise<void> {
    const pending = this.attaching.get(name);
    if (pending) return pending;
    const attached = work()
      .catch((err: Error) => this.opts.onAttachError(name, err))
      .finally(() => this.attaching.delete(name));
    this.attaching.set(name, attached);
    return attached;
  }

  add(watch: W, openMode: boolean): void {
    this.entries.set(watch.container.name, { watch, openMode });
  }

  /** Stops and forgets the watch of `name`; false when there was none. */
  remove(name: string): boolean {
    const entry = this.entries.get(name);
    if (!entry) return false;
    entry.watch.stop();
    this.entries.delete(name);
    return true;
  }

  stopAll(): void {
    for (const { watch } of this.entries.values()) watch.stop();
    this.entries.clear();
  }

  /** The watch of `name` once attached, waiting for attaches under way (tests and the bench). */
  async watchOf(name: string, timeoutMs = 10_000): Promise<W> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.attaching.get(name);
      const watch = this.get(name);
      if (watch) return watch;
      if (Date.now() > deadline) throw new Error(`the monitor never attached to ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Fills in the addresses of watched containers that had none at attach (DHCP came later). */
  async refreshAddresses(): Promise<void> {
    for (const { watch } of [...this.entries.values()])
      if (!watch.container.ipv4)
        watch.container.ipv4 = await this.opts.lookupIpv4(watch.container.name);
  }
}
