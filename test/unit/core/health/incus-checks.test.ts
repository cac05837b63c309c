import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { incusChecks } from '../../../../src/core/health/incus-checks.js';
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
