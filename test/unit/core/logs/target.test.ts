import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logsContainer } from '../../../../src/core/logs/target.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const PREFIX = 'coi-t-';
const WS = '/home/u/api';
const slot = (n: number) => containerName(WS, n, PREFIX);
const other = containerName('/home/u/web', 1, PREFIX);

let coiDir: string;
beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-logs-'));
  mkdirSync(join(coiDir, 'logs'));
});
afterEach(() => rmSync(coiDir, { recursive: true, force: true }));

function logFile(container: string, stream: 'stdout' | 'stderr', ageSeconds: number): void {
  const path = join(coiDir, 'logs', `${container}.${stream}.log`);
  writeFileSync(path, 'x\n');
  const when = Date.now() / 1000 - ageSeconds;
  utimesSync(path, when, when);
}

const resolve = (incus: FakeIncus, named: { arg?: string; env?: string } = {}) =>
  logsContainer(incus, { ...named, workspace: WS, prefix: PREFIX, coiDir });

describe("coi logs' container", () => {
  it('takes the name given, then COI_CONTAINER, even for a container gone', async () => {
    const incus = new FakeIncus([{ name: slot(1) }]);
    expect(await resolve(incus, { arg: 'coi-gone-1', env: other })).toBe('coi-gone-1');
    expect(await resolve(incus, { env: other })).toBe(other);
  });

  it("else the workspace's one container", async () => {
    const incus = new FakeIncus([{ name: slot(2), status: 'Stopped' }, { name: other }]);
    expect(await resolve(incus)).toBe(slot(2));
  });

  it('refuses to pick among several containers of the workspace', async () => {
    const incus = new FakeIncus([{ name: slot(1) }, { name: slot(2) }]);
    await expect(resolve(incus)).rejects.toThrow(/has 2 containers .*name one/);
  });

  it('with no container left, the most recently written logs of the workspace', async () => {
    logFile(slot(1), 'stdout', 100);
    logFile(slot(2), 'stderr', 10);
    logFile(other, 'stdout', 0);
    expect(await resolve(new FakeIncus())).toBe(slot(2));
  });

  it('says what to do when the workspace has neither', async () => {
    logFile(other, 'stdout', 0);
    await expect(resolve(new FakeIncus([{ name: other }]))).rejects.toThrow(
      `no coi container or session log belongs to workspace ${WS}`,
    );
  });
});
