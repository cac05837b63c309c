type Listener = () => void;
type Subscribe = (listener: Listener) => () => void;

export interface FrameClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: FrameClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Wraps a store subscription so each listener hears at most one change per frame. A burst of
 * events (a metrics batch, an alert flood) becomes one render; the trailing change is never lost
 * because the listener always fires after the last notification (throttle, not debounce).
 */
export function coalesceSubscribe(
  subscribe: Subscribe,
  frameMs: number,
  clock: FrameClock = realClock,
): Subscribe {
  return (listener) => {
    let timer: unknown;
    let lastFlush = -Infinity;
    const flush = () => {
      timer = undefined;
      lastFlush = clock.now();
      listener();
    };
    const unsubscribe = subscribe(() => {
      if (timer !== undefined) return;
      timer = clock.setTimeout(flush, Math.max(0, lastFlush + frameMs - clock.now()));
    });
    return () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      unsubscribe();
    };
  };
}
