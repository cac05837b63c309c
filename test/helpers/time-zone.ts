import { afterEach, beforeEach } from 'vitest';

/**
 * Runs each test of the file with the process in time zone `tz` (Node re-reads `TZ` when it is
 * set), so a test can tell local time from UTC on a host that keeps UTC.
 */
export function inTimeZone(tz: string): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TZ;
    process.env.TZ = tz;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}
