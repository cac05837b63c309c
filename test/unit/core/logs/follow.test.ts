import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followSessionLogs, type LogFollower } from '../../../../src/core/logs/follow.js';
import { sessionLogPaths, type SessionLogPaths } from '../../../../src/core/logs/paths.js';

/** The follower on real files in a temp dir, polling every 10 ms. */

let coiDir: string;
let paths: SessionLogPaths;
let follower: LogFollower | undefined;
let printed: string;

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-logs-'));
  paths = sessionLogPaths(coiDir, 'coi-abc-1');
  printed = '';
});
afterEach(() => {
  follower?.stop();
  follower = undefined;
  rmSync(coiDir, { recursive: true, force: true });
});

const follow = () =>
  (follower = followSessionLogs(paths, (text) => (printed += text), { intervalMs: 10 }));

async function until(expected: string): Promise<void> {
  for (let waited = 0; waited < 2000 && printed !== expected; waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(printed).toBe(expected);
}

describe('followSessionLogs', () => {
  it('prints only what is added after it starts, stderr lines marked [ERR]', async () => {
    mkdirSync(join(coiDir, 'logs'));
    writeFileSync(paths.stdout, 'old line\n');
    writeFileSync(paths.stderr, 'old error\n');
    follow();
    appendFileSync(paths.stdout, 'new line\n');
    await until('new line\n');
    appendFileSync(paths.stderr, 'new error\n');
    await until('new line\n[ERR] new error\n');
  });

  it('fromStart: what the files hold first, at once, then what is added', () => {
    mkdirSync(join(coiDir, 'logs'));
    writeFileSync(paths.stdout, 'old line\n');
    writeFileSync(paths.stderr, 'old error\n');
    follower = followSessionLogs(paths, (text) => (printed += text), {
      intervalMs: 10,
      fromStart: true,
    });
    expect(printed).toBe('old line\n[ERR] old error\n');
    appendFileSync(paths.stdout, 'new line\n');
    return until('old line\n[ERR] old error\nnew line\n');
  });

  it('waits for files that do not exist yet, and reads them from their start', async () => {
    follow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    mkdirSync(join(coiDir, 'logs'));
    writeFileSync(paths.stderr, 'first\nsecond\n');
    await until('[ERR] first\n[ERR] second\n');
  });

  it('holds a line until its newline, and prints what is left on stop', async () => {
    mkdirSync(join(coiDir, 'logs'));
    writeFileSync(paths.stdout, '');
    follow();
    appendFileSync(paths.stdout, 'hal');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(printed).toBe('');
    appendFileSync(paths.stdout, 'f\nnext');
    await until('half\n');
    follower!.stop();
    follower = undefined;
    expect(printed).toBe('half\nnext\n');
  });

  it('starts over on a file truncated or replaced', async () => {
    mkdirSync(join(coiDir, 'logs'));
    writeFileSync(paths.stdout, 'a long first session line\n');
    follow();
    writeFileSync(paths.stdout, 'short\n');
    await until('short\n');
    rmSync(paths.stdout);
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(paths.stdout, 'again\n');
    await until('short\nagain\n');
  });

  it('keeps a character split across two writes whole', async () => {
    mkdirSync(join(coiDir, 'logs'));
    writeFileSync(paths.stdout, '');
    follow();
    const bytes = Buffer.from('é\n');
    appendFileSync(paths.stdout, bytes.subarray(0, 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    appendFileSync(paths.stdout, bytes.subarray(1));
    await until('é\n');
  });
});
