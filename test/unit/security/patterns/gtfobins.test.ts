import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gtfobinsShellPrograms, readGtfobins } from '../../../../src/security/patterns/gtfobins.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coi-gtfobins-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function entry(name: string, text: string): void {
  mkdirSync(join(dir, '_gtfobins'), { recursive: true });
  writeFileSync(join(dir, '_gtfobins', name), text);
}

describe('readGtfobins', () => {
  it('lists the programs with a reverse- or bind-shell function, in both file formats', () => {
    entry(
      'socat.md',
      '---\nfunctions:\n  reverse-shell:\n    - code: socat tcp:x:1 exec:sh\n---\n',
    );
    entry('rlwrap', 'functions:\n  shell:\n    - code: rlwrap sh\n  bind-shell:\n    - code: x\n');
    entry('less.md', '---\nfunctions:\n  shell:\n    - code: less /etc/profile\n---\n');
    entry('README.md', 'no front matter mentions reverse-shell: here\n');
    expect(readGtfobins(dir)).toEqual({ programs: 3, shellPrograms: ['rlwrap', 'socat'] });
    expect(gtfobinsShellPrograms(dir)).toEqual(['rlwrap', 'socat']);
  });

  it('says why a folder is not a database, and the monitor then uses none', () => {
    expect(() => readGtfobins(dir)).toThrow(
      `${dir} is not a GTFOBins database: it has no _gtfobins/ folder`,
    );
    entry('notes.txt', 'hello\n');
    expect(() => readGtfobins(dir)).toThrow('no file in _gtfobins/ has a `functions:` section');
    entry('less.md', '---\nfunctions:\n  shell:\n    - code: less\n---\n');
    expect(() => readGtfobins(dir)).toThrow(
      'none of its 1 programs has a reverse-shell or bind-shell function',
    );
    expect(gtfobinsShellPrograms(dir)).toEqual([]);
  });
});
