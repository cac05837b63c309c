import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  DENIED,
  HookFileReader,
  readUnderRoot,
} from '../../../../../src/core/control-room/agent-state/hook-file.js';

const FILE = 'home/code/.cache/coi/agent-state';
let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'coi-root-'));
  outside = mkdtempSync(join(tmpdir(), 'coi-host-'));
  mkdirSync(join(root, 'home/code/.cache/coi'), { recursive: true });
  writeFileSync(join(outside, 'secret'), 'approval 1\n');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('readUnderRoot', () => {
  test('reads the state file', () => {
    writeFileSync(join(root, FILE), 'input 1764590000123');
    expect(readUnderRoot(root, FILE)).toBe('input 1764590000123');
  });

  test('absent: undefined', () => {
    expect(readUnderRoot(root, FILE)).toBeUndefined();
  });

  test('follows no symlink: not the file itself', () => {
    symlinkSync(join(outside, 'secret'), join(root, FILE));
    expect(readUnderRoot(root, FILE)).toBeUndefined();
  });

  test('follows no symlink: not a directory on the way', () => {
    rmSync(join(root, 'home/code/.cache'), { recursive: true });
    mkdirSync(join(outside, 'coi'));
    writeFileSync(join(outside, 'coi/agent-state'), 'approval 1');
    symlinkSync(outside, join(root, 'home/code/.cache'));
    expect(readUnderRoot(root, FILE)).toBeUndefined();
  });

  test('a fifo in its place is not waited on', () => {
    execFileSync('mkfifo', [join(root, FILE)]);
    expect(readUnderRoot(root, FILE)).toBeUndefined();
  });

  test('longer than any report: undefined', () => {
    writeFileSync(join(root, FILE), 'a'.repeat(65));
    expect(readUnderRoot(root, FILE)).toBeUndefined();
    writeFileSync(join(root, FILE), 'a'.repeat(64));
    expect(readUnderRoot(root, FILE)).toBe('a'.repeat(64));
  });
});

describe('HookFileReader', () => {
  const target = { container: 'c1', pid: 42, path: '/home/code/.cache/coi/agent-state' };

  function files(answer: () => Buffer) {
    const pulls: string[] = [];
    return {
      pulls,
      api: {
        pull: async (container: string, path: string) => {
          pulls.push(`${container}:${path}`);
          return answer();
        },
      },
    };
  }

  test('reads through the process root while it may, without asking Incus', async () => {
    const f = files(() => Buffer.from('idle 1'));
    const reader = new HookFileReader(f.api, () => 'working 2');
    expect(await reader.read(target)).toBe('working 2');
    expect(f.pulls).toEqual([]);
  });

  test('refused once, it asks the Incus file API from then on', async () => {
    const f = files(() => Buffer.from('approval 3'));
    let direct = 0;
    const reader = new HookFileReader(f.api, () => {
      direct++;
      return DENIED;
    });
    expect(await reader.read(target)).toBe('approval 3');
    expect(await reader.read(target)).toBe('approval 3');
    expect(direct).toBe(1);
    expect(f.pulls).toEqual([`c1:${target.path}`, `c1:${target.path}`]);
  });

  test('an API error reads as nothing', async () => {
    const f = files(() => {
      throw new Error('not found');
    });
    const reader = new HookFileReader(f.api, () => DENIED);
    expect(await reader.read(target)).toBeUndefined();
  });

  test('throughProc reads <proc>/<pid>/root/<path>', async () => {
    mkdirSync(join(root, '42'));
    symlinkSync(join(root, 'home'), join(root, '42/root'), 'dir');
    // The root link itself is where a process's root is; it is followed, nothing below it.
    writeFileSync(join(root, FILE), 'exited 4');
    const reader = HookFileReader.throughProc(files(() => Buffer.from('')).api, root);
    expect(await reader.read({ ...target, path: '/code/.cache/coi/agent-state' })).toBe('exited 4');
  });
});
