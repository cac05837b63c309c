import { describe, expect, it } from 'vitest';
import { runMain } from '../../../helpers/run-main.js';

const VERSION = /^v\d+\.\d+\.\d+/;

describe('coi version', () => {
  it('prints the name and version, then the project URL, and ignores extra words', async () => {
    for (const args of [['version'], ['version', 'extra', 'words']]) {
      const r = await runMain(args);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^Coi \(Code on Incus\) v\d+\.\d+\.\d+/);
      expect(lines[1]).toMatch(/^https:\/\/\S+$/);
    }
  });

  it('gives {version, url} with --json or --format json', async () => {
    for (const args of [
      ['version', '--json'],
      ['version', '--format', 'json'],
    ]) {
      const r = await runMain(args);
      const json = JSON.parse(r.stdout) as Record<string, string>;
      expect(Object.keys(json)).toEqual(['version', 'url']);
      expect(json.version).toMatch(VERSION);
      expect(json.url).toMatch(/^https:\/\//);
    }
  });

  it('refuses another format by name', async () => {
    expect(await runMain(['version', '--format', 'xml'])).toMatchObject({
      code: 2,
      stderr: 'Error: invalid format "xml" (use text or json)\n',
    });
  });
});
