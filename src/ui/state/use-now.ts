import { useEffect, useState } from 'react';

/**
 * Wall clock for uptimes; one shared tick for the whole app. It ticks when `nextChange` says the
 * shown text changes (default: every second), and not at all when it says never (Infinity): a
 * tick re-renders the room, and Ink then rebuilds its whole frame even when nothing differs.
 */
export function useNow(
  clock: () => number = Date.now,
  nextChange: (now: number) => number = (now) => now + 1000,
): number {
  const [now, setNow] = useState(clock);
  const at = nextChange(now);
  useEffect(() => {
    if (!Number.isFinite(at)) return;
    const timer = setTimeout(() => setNow(clock()), Math.max(0, at - clock()));
    timer.unref?.();
    return () => clearTimeout(timer);
  }, [clock, at]);
  return now;
}
