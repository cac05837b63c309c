import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cgroupFrozen, freezeCgroup } from '../../../../src/security/response/freeze-cgroup.js';

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
});
