import { useEffect, useState } from 'react';

/** Wall clock that re-renders once a second (uptimes); one shared tick for the whole app. */
export function useNow(clock: () => number = Date.now, intervalMs = 1000): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
  return now;
}
