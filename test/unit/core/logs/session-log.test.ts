import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionLogPaths } from '../../../../src/core/logs/paths.js';
import { SessionLog } from '../../../../src/core/logs/session-log.js';

let coiDir: string;
beforeEach(() => (coiDir = mkdtempSync(join(tmpdir(), 'coi-logs-'))));
afterEach(() => rmSync(coiDir, { recursive: true, force: true }));

const at = () => new Date(2026, 0, 2, 3, 4, 5);

describe('SessionLog', () => {
  it("stamps coi's lines as the Go logger does, info to stdout.log, errors to stderr.log", () => {
    const log = new SessionLog(coiDir, 'coi-abc-1', at);
    log.info('Starting coi-abc-1');
    log.error('launch failed: no image');
    const paths = sessionLogPaths(coiDir, 'coi-abc-1');
    expect(paths.stdout).toBe(join(coiDir, 'logs', 'coi-abc-1.stdout.log'));
    expect(readFileSync(paths.stdout, 'utf8')).toBe('2026/01/02 03:04:05 Starting coi-abc-1\n');
    expect(readFileSync(paths.stderr, 'utf8')).toBe(
      '2026/01/02 03:04:05 launch failed: no image\n',
    );
    expect(statSync(paths.stdout).mode & 0o777).toBe(0o640);
  });

  it('keeps lines until the container has a name, then writes them in order', () => {
    const log = new SessionLog(coiDir, undefined, at);
    log.info('Creating coi-abc-1');
    expect(existsSync(join(coiDir, 'logs'))).toBe(false);
    log.attach('coi-abc-1');
    log.info('Starting coi-abc-1');
    expect(readFileSync(sessionLogPaths(coiDir, 'coi-abc-1').stdout, 'utf8')).toBe(
      '2026/01/02 03:04:05 Creating coi-abc-1\n2026/01/02 03:04:05 Starting coi-abc-1\n',
    );
  });

  it("appends a command's output unchanged, and to what earlier sessions wrote", () => {
    new SessionLog(coiDir, 'coi-abc-1', at).output('stdout', 'first run\n');
    const log = new SessionLog(coiDir, 'coi-abc-1', at);
    log.output('stdout', Buffer.from('hello '));
    log.output('stdout', 'world\n');
    log.output('stderr', 'oops\n');
    const paths = sessionLogPaths(coiDir, 'coi-abc-1');
    expect(readFileSync(paths.stdout, 'utf8')).toBe('first run\nhello world\n');
    expect(readFileSync(paths.stderr, 'utf8')).toBe('oops\n');
  });

  it('never throws when the log cannot be written', () => {
    writeFileSync(join(coiDir, 'logs'), 'a file where the directory should be');
    const log = new SessionLog(coiDir, 'coi-abc-1', at);
    expect(() => {
      log.info('Starting');
      log.output('stdout', 'x');
    }).not.toThrow();
  });
});
