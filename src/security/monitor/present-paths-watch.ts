export interface PathWatcher {
  readonly ready: Promise<void>;
  stop(): void;
}

export interface PresentPathsWatchOptions {
  /** Every path that should be watched. */
  all: readonly string[];
  /** Those of `all` that exist now. */
  present: () => string[];
  /** A watcher over exactly these paths. */
  watch: (paths: string[]) => PathWatcher;
  onProblem: (message: string) => void;
  retryMs: number;
}

/**
 * Watches the paths that exist; while some are missing (made after the container started, or
 * never), looks again every `retryMs` and replaces the watcher with one over the larger set.
 */
export class PresentPathsWatch {
  private watcher?: PathWatcher;
  private watched: string[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly opts: PresentPathsWatchOptions) {}

  start(): void {
    const present = this.opts.present();
    if (present.length > this.watched.length) {
      this.watcher?.stop();
      this.watched = present;
      this.watcher = this.opts.watch(present);
      this.watcher.ready.catch((err: Error) => this.opts.onProblem(err.message));
    }
    if (present.length < this.opts.all.length) {
      this.timer = setTimeout(() => this.start(), this.opts.retryMs);
      this.timer.unref();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.stop();
  }

  /** Resolves with the paths watched once the current watcher is set up. */
  async ready(): Promise<string[]> {
    await this.watcher?.ready;
    return this.watched;
  }
}
