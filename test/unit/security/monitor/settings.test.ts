import { describe, expect, it } from 'vitest';
import {
  containerSettings,
  type MonitorSettings,
} from '../../../../src/security/monitor/settings.js';
import { coiKeysConfig, readCoiKeys } from '../../../../src/shared/instance-keys.js';

const BASE: MonitorSettings = {
  policy: { autoPauseOnHigh: true, autoKillOnCritical: true },
  forensicsOnKill: true,
  commandLine: { oneLiners: 'critical' },
  io: { readMb: 50, readRateMbPerSec: 10, writeMb: 50, writeRateMbPerSec: 10 },
  process: { count: 0, growthPerSec: 100 },
  dnsQueryThreshold: 100,
  retentionDays: 30,
  codeUid: 1000,
  processEvents: false,
};

describe('per-container monitoring settings', () => {
  it('round-trips the thresholds a launch records and applies them over the daemon’s', () => {
    const config = coiKeysConfig({
      monitoring: { process_count_threshold: 40, file_write_threshold_mb: 500 },
    });
    expect(config['user.coi.monitoring']).toBeDefined();
    const recorded = readCoiKeys(config).monitoring;
    const s = containerSettings(BASE, recorded);
    expect(s.process).toEqual({ count: 40, growthPerSec: 100 });
    expect(s.io).toEqual({ ...BASE.io, writeMb: 500 });
    expect(s.policy).toBe(BASE.policy);
  });

  it('applies the pause and kill switches and the DNS query threshold a launch recorded', () => {
    const config = coiKeysConfig({
      monitoring: { auto_kill_on_critical: false, dns_query_threshold: 500 },
    });
    const s = containerSettings(BASE, readCoiKeys(config).monitoring);
    expect(s.policy).toEqual({ autoPauseOnHigh: true, autoKillOnCritical: false });
    expect(s.dnsQueryThreshold).toBe(500);
    const bad = readCoiKeys({
      'user.coi.monitoring': '{"auto_pause_on_high":"no","dns_query_threshold":-5}',
    });
    expect(bad.monitoring).toEqual({});
  });

  it('keeps the daemon’s settings for containers that recorded none or nonsense', () => {
    expect(containerSettings(BASE, readCoiKeys({}).monitoring)).toBe(BASE);
    const bad = readCoiKeys({
      'user.coi.monitoring': '{"process_count_threshold":"9","file_read_threshold_mb":-1}',
    });
    expect(bad.monitoring).toEqual({});
    expect(readCoiKeys({ 'user.coi.monitoring': 'not json' }).monitoring).toBe(undefined);
  });
});
