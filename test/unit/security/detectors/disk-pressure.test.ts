import { describe, expect, it } from 'vitest';
import { DiskPressureDetector } from '../../../../src/security/detectors/disk-pressure.js';

describe('disk pressure detector', () => {
  it('warns once when /tmp passes 80 %, again only after it recovered', () => {
    const d = new DiskPressureDetector();
    const tmp = (usedPercent: number) => [{ path: '/tmp', usedPercent, freeMb: 10 }];
    expect(d.observe(tmp(80))).toEqual([]);
    const [alert] = d.observe(tmp(81));
    expect(alert).toMatchObject({
      level: 'warning',
      category: 'filesystem',
      title: 'Low disk space on /tmp',
      evidence: { disk: { path: '/tmp', used_percent: 81, free_mb: 10, threshold_percent: 80 } },
    });
    expect(d.observe(tmp(95))).toEqual([]);
    expect(d.observe(tmp(50))).toEqual([]);
    expect(d.observe(tmp(90))).toHaveLength(1);
  });

  it('judges each filesystem on its own', () => {
    const d = new DiskPressureDetector();
    const alerts = d.observe([
      { path: '/', usedPercent: 85, freeMb: 100 },
      { path: '/tmp', usedPercent: 10, freeMb: 900 },
    ]);
    expect(alerts.map((a) => a.title)).toEqual(['Low disk space on /']);
  });
});
