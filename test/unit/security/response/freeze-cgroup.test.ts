import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cgroupFreezeSettled,
  cgroupFrozen,
  freezeCgroup,
} from '../../../../src/security/response/freeze-cgroup.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'coi-cgroup-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function v1(state: string): string {
  const dir = join(root, 'freezer', 'lxc.payload.c1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'freezer.state'), `${state}\n`);
  return join(dir, 'freezer.state');
}

function v2(freeze: string): string {
  const dir = join(root, 'lxc.payload.c1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cgroup.freeze'), `${freeze}\n`);
  return join(dir, 'cgroup.freeze');
}

describe('the cgroup freezer', () => {
  it.each([
    ['THAWED', false],
    ['FREEZING', true],
    ['FROZEN', true],
  ])('v1 freezer.state %s is frozen: %s', (state, frozen) => {
    v1(state);
    expect(cgroupFrozen('c1', root)).toBe(frozen);
  });

  it.each([
    ['0', false],
    ['1', true],
  ])('v2 cgroup.freeze %s is frozen: %s', (value, frozen) => {
    v2(value);
    expect(cgroupFrozen('c1', root)).toBe(frozen);
  });

  it('a container without a cgroup is not frozen', () => {
    expect(cgroupFrozen('c1', root)).toBe(false);
  });

  it('freezes through whichever hierarchy the container has', () => {
    const file = v2('0');
    expect(freezeCgroup('c1', root)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('1');
    expect(cgroupFrozen('c1', root)).toBe(true);
  });

  it('waits for a v1 freeze to complete (FREEZING → FROZEN) before Incus is asked', async () => {
    const file = v1('FREEZING');
    setTimeout(() => writeFileSync(file, 'FROZEN\n'), 5);
    const t0 = performance.now();
    expect(await cgroupFreezeSettled('c1', 1000, root)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('gives up waiting on a freeze that does not complete, after the timeout', async () => {
    v1('FREEZING');
    expect(await cgroupFreezeSettled('c1', 20, root)).toBe(false);
  });

  it("reads a v2 freeze's completion from cgroup.events", async () => {
    v2('1');
    const events = join(root, 'lxc.payload.c1', 'cgroup.events');
    writeFileSync(events, 'populated 1\nfrozen 0\n');
    expect(await cgroupFreezeSettled('c1', 10, root)).toBe(false);
    writeFileSync(events, 'populated 1\nfrozen 1\n');
    expect(await cgroupFreezeSettled('c1', 10, root)).toBe(true);
  });
});
