import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  changeSlotAllowlist,
  readNetworkTail,
} from '../../../../src/core/control-room/slot-network.js';
import { monitorPaths } from '../../../../src/security/monitor/paths.js';
import { listenSingleton } from '../../../../src/security/monitor/singleton.js';

/** A stand-in daemon on the real socket path of a temp ~/.coi, answering as told. */
let coiDir: string;
let server: Server | undefined;
const requests: string[] = [];

async function daemon(answer: (request: string) => string | Promise<string>): Promise<void> {
  server = await listenSingleton(monitorPaths(coiDir).socket, (request) => {
    requests.push(request);
    return answer(request);
  });
}

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-slot-network-'));
  requests.length = 0;
});

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  rmSync(coiDir, { recursive: true, force: true });
});

const DECISION = {
  time: 1,
  source: 'dns',
  verdict: 'refused',
  name: 'evil.example',
  address: '',
  reason: 'not on the allowlist',
};

describe('the network tail over the daemon socket', () => {
  test('reads the decisions the daemon answers `network <container>` with', async () => {
    await daemon(() => JSON.stringify({ decisions: [DECISION] }));
    expect(await readNetworkTail(coiDir, 'coi-abc-1')).toEqual([DECISION]);
    expect(requests).toEqual(['network coi-abc-1']);
  });

  test('says how to start a daemon that is not running, and what to do about an old one', async () => {
    await expect(readNetworkTail(coiDir, 'coi-abc-1')).rejects.toThrow(
      'the monitor daemon is not running',
    );
    await daemon(() => 'pong');
    await expect(readNetworkTail(coiDir, 'coi-abc-1')).rejects.toThrow(
      'older than the network tail',
    );
  });

  test('allow and block resolve with what the daemon did, or fail with its reason', async () => {
    await daemon(async (request) =>
      JSON.stringify(
        request.startsWith('allow')
          ? { ok: true, message: 'evil.example allowed for coi-abc-1' }
          : { error: 'api.github.com is not on the allowlist' },
      ),
    );
    expect(await changeSlotAllowlist(coiDir, 'allow', 'coi-abc-1', 'evil.example')).toBe(
      'evil.example allowed for coi-abc-1',
    );
    await expect(
      changeSlotAllowlist(coiDir, 'block', 'coi-abc-1', 'api.github.com'),
    ).rejects.toThrow('block api.github.com for coi-abc-1: api.github.com is not on the allowlist');
    expect(requests).toEqual(['allow coi-abc-1 evil.example', 'block coi-abc-1 api.github.com']);
  });
});
