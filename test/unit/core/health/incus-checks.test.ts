import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { imageAgeVerdict, incusChecks } from '../../../../src/core/health/incus-checks.js';
import type { HealthEnv } from '../../../../src/core/health/types.js';

const permissions = incusChecks.find((c) => c.key === 'permissions')!;
const env: HealthEnv = { config: { error: 'unused' }, coiDir: '/nonexistent', prefix: 'coi-' };

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coi-socket-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('Incus access check', () => {
  it('looks at the socket the client would use (INCUS_SOCKET)', async () => {
    const socket = join(dir, 'unix.socket');
    writeFileSync(socket, '');
    vi.stubEnv('INCUS_SOCKET', socket);
    expect(await permissions.run(env)).toEqual({
      status: 'ok',
      message: `${socket} is usable by this user`,
    });
  });

  it('fails on a socket this user cannot use when the daemon did not answer', async () => {
    const missing = join(dir, 'missing.socket');
    vi.stubEnv('INCUS_SOCKET', missing);
    expect(await permissions.run(env)).toEqual({
      status: 'failed',
      message: `${missing} is not usable; run as root or join the incus-admin group`,
    });
  });
});

describe('image age verdict', () => {
  it('warns about images older than 30 days and says how to refresh them', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(imageAgeVerdict('coi-default', '2026-11-20T00:00:00Z', now)).toEqual({
      status: 'ok',
      message: '11 day(s) old',
      details: { days: 11 },
    });
    const old = imageAgeVerdict('coi-default', '2026-09-01T00:00:00Z', now);
    expect(old.status).toBe('warning');
    expect(old.message).toBe('coi-default is 91 days old; `coi build --force` refreshes it');
  });
});
