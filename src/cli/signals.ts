const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGTERM: 15,
};

/**
 * Holds Ctrl-C and friends while coi makes a container, so a half-made session is cleaned up
 * instead of leaked: the first signal is remembered, and passed to `forward` once one is set.
 */
export class SignalCatcher {
  caught: NodeJS.Signals | undefined;
  private forward: ((signal: number) => void) | undefined;
  private readonly handler = (signal: NodeJS.Signals) => {
    this.caught ??= signal;
    this.forward?.(SIGNAL_NUMBERS[signal] ?? 15);
  };

  constructor() {
    for (const s of Object.keys(SIGNAL_NUMBERS)) process.on(s, this.handler);
  }

  /** From now on, signals go to `fn` (with their number) as well. */
  onSignal(fn: (signal: number) => void): void {
    this.forward = fn;
  }

  /** 128+N for the signal caught, the exit code of a command killed by it. */
  exitCode(): number {
    return 128 + (this.caught ? (SIGNAL_NUMBERS[this.caught] ?? 15) : 15);
  }

  release(): void {
    for (const s of Object.keys(SIGNAL_NUMBERS)) process.off(s, this.handler);
  }
}
