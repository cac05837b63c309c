import { describe, expect, it } from 'vitest';
import { ProcessCountDetector } from '../../../../src/security/detectors/process-count.js';

describe('process count detector', () => {
  it('pauses (high) on growth faster than the spawn-rate threshold', () => {
    const d = new ProcessCountDetector({ count: 0, growthPerSec: 100 });
    expect(d.observe(20, 0)).toEqual([]);
    expect(d.observe(90, 250)).toEqual([]);
    const [alert, ...rest] = d.observe(150, 500);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      level: 'high',
      category: 'process',
      title: 'Process spawn rate spike detected',
      evidence: {
        process_count: {
          count: 150,
          growth_per_sec: 130,
          count_threshold: 0,
          growth_threshold_per_sec: 100,
        },
      },
    });
  });

  it('keeps a busy build quiet: bursts of starts, little growth within a second', () => {
    const d = new ProcessCountDetector({ count: 500, growthPerSec: 100 });
    const counts = [20, 44, 31, 52, 38, 60, 25, 110, 22, 100, 30];
    const alerts = counts.flatMap((n, i) => d.observe(n, i * 250));
    expect(alerts).toEqual([]);
  });

  it('kills (critical) above the count threshold, from the first sample', () => {
    const d = new ProcessCountDetector({ count: 40, growthPerSec: 0 });
    expect(d.observe(41, 0).map((a) => [a.level, a.title])).toEqual([
      ['critical', 'Process count spike detected'],
    ]);
    expect(d.observe(40, 1000)).toEqual([]);
  });

  it('treats 0 as off for both checks', () => {
    const d = new ProcessCountDetector({ count: 0, growthPerSec: 0 });
    d.observe(0, 0);
    expect(d.observe(100_000, 100)).toEqual([]);
  });

  it('forgets samples older than a second', () => {
    const d = new ProcessCountDetector({ count: 0, growthPerSec: 100 });
    d.observe(20, 0);
    d.observe(90, 900);
    expect(d.observe(180, 1100)).toEqual([]);
    expect(d.observe(300, 1300)).toHaveLength(1);
  });
});
