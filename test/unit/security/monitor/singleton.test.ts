import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, listenSingleton } from '../../../../src/security/monitor/singleton.js';

const dir = mkdtempSync(join(tmpdir(), 'coi-monitor-socket-'));
const servers: Server[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

describe('the per-user monitor socket', () => {
  it('lets one daemon hold it and answers requests', async () => {
    const path = join(dir, 'a', 'monitor.sock');
    const first = await listenSingleton(path, (req) => `got ${req}`);
    expect(first).toBeDefined();
    servers.push(first!);
    expect(await listenSingleton(path, () => 'second')).toBeUndefined();
    expect(await ask(path, 'status')).toBe('got status');
  });

  it('takes over a socket file nobody listens on', async () => {
    const path = join(dir, 'stale.sock');
    writeFileSync(path, '');
    expect(await ask(path, 'ping', 200)).toBeUndefined();
    const server = await listenSingleton(path, () => 'pong');
    expect(server).toBeDefined();
    servers.push(server!);
    expect(await ask(path, 'ping')).toBe('pong');
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
