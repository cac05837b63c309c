import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { formatAlertBlock } from '../../../../src/security/monitor/notify.js';

const record: AuditRecord = {
  id: 'x',
  timestamp: '2026-11-23T12:00:00.000Z',
  container: 'coi-ab12cd34-1',
  workspace: '/w',
  level: 'high',
  category: 'credential_access',
  title: 'Credential canary accessed',
  description: 'Something opened /home/code/.env',
  evidence: { sensitive_file: { path: '/home/code/.env', access: 'OPEN' } },
  action: 'paused',
  detection_latency_ms: 0,
};

describe('formatAlertBlock', () => {
  it('names the level, container, title, description and what was done', () => {
    const text = formatAlertBlock(record, false);
    expect(text).toContain('SECURITY ALERT [HIGH]');
    expect(text).toContain('coi-ab12cd34-1');
    expect(text).toContain('Something opened /home/code/.env');
    expect(text).toContain('coi unfreeze coi-ab12cd34-1');
    expect(text).not.toContain('\x1b[');
  });

  it('colours high in red and warnings in yellow on a terminal', () => {
    expect(formatAlertBlock(record, true)).toContain('\x1b[31m');
    expect(formatAlertBlock({ ...record, level: 'warning' }, true)).toContain('\x1b[33m');
  });
});
