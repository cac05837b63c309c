import { describe, expect, test } from 'vitest';
import { formatBytes, formatUptime, nextUptimeChange } from '../../../../src/ui/format/units.js';

describe('units', () => {
  test('compact figures', () => {
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1536)).toBe('1.5K');
    expect(formatBytes(4 * 1024 ** 3)).toBe('4.0G');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300M');
    expect(formatUptime(45_000)).toBe('45s');
    expect(formatUptime(3 * 3_600_000 + 5 * 60_000)).toBe('3h05m');
    expect(formatUptime(50 * 3_600_000)).toBe('2d02h');
  });
});

describe('nextUptimeChange', () => {
  test('is the first moment formatUptime shows another text: seconds, then minutes, then hours', () => {
    const start = 1_000_000;
    for (const elapsed of [0, 999, 45_500, 59_999, 60_000, 61_234, 3 * 3_600_000 + 1, 86_400_000]) {
      const now = start + elapsed;
      const next = nextUptimeChange(start, now);
      expect(next).toBeGreaterThan(now);
      expect(formatUptime(next - start)).not.toBe(formatUptime(elapsed));
      expect(formatUptime(next - 1 - start)).toBe(formatUptime(elapsed));
    }
  });
});
