import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containerOfLogFile, sessionLogPaths } from '../../../../src/core/logs/paths.js';
import { prefixLines, readSessionLogs } from '../../../../src/core/logs/read.js';

let coiDir: string;
beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-logs-'));
  mkdirSync(join(coiDir, 'logs'));
});
afterEach(() => rmSync(coiDir, { recursive: true, force: true }));

describe('prefixLines', () => {
  it('prefixes each line and ends the last one', () => {
    expect(prefixLines('a\nb\n', '[ERR] ')).toBe('[ERR] a\n[ERR] b\n');
    expect(prefixLines('a\n\nb', '> ')).toBe('> a\n> \n> b\n');
    expect(prefixLines('', '> ')).toBe('');
  });
});

describe('readSessionLogs', () => {
  const paths = () => sessionLogPaths(coiDir, 'coi-abc-1');

  it('prints the stdout log as it is, then the stderr lines marked [ERR]', async () => {
    writeFileSync(paths().stdout, '2026/01/02 03:04:05 Starting\nhello\n');
    writeFileSync(paths().stderr, 'warning: x\nlast');
    expect(await readSessionLogs(paths())).toBe(
      '2026/01/02 03:04:05 Starting\nhello\n[ERR] warning: x\n[ERR] last\n',
    );
  });

  it('takes either file alone, and is undefined when there is neither', async () => {
    expect(await readSessionLogs(paths())).toBeUndefined();
    writeFileSync(paths().stderr, 'only errors\n');
    expect(await readSessionLogs(paths())).toBe('[ERR] only errors\n');
  });
});

describe('containerOfLogFile', () => {
  it('names the container of a session log file, nothing for other files', () => {
    expect(containerOfLogFile('coi-abc-1.stdout.log')).toBe('coi-abc-1');
    expect(containerOfLogFile('coi-abc-1.stderr.log')).toBe('coi-abc-1');
    expect(containerOfLogFile('build-coi-default.log')).toBeUndefined();
    expect(containerOfLogFile('.stdout.log')).toBeUndefined();
  });
});
