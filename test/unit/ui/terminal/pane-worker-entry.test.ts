import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { paneWorkerSource } from '../../../../src/ui/terminal/pane-worker-entry.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A module URL in a fresh directory holding `files`. */
function moduleIn(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'coi-pane-entry-'));
  dirs.push(dir);
  for (const file of files) writeFileSync(join(dir, file), '');
  return pathToFileURL(join(dir, 'pane-worker-entry.js')).href;
}

describe('paneWorkerSource', () => {
  test('built (dist/): the .js next to the module', () => {
    const here = moduleIn(['pane-worker.js', 'pane-worker.ts']);
    expect(paneWorkerSource(here)).toEqual({ file: new URL('./pane-worker.js', here) });
  });

  test('source (tsx, vitest): registers tsx in the worker, then imports the .ts', () => {
    const here = moduleIn(['pane-worker.ts']);
    const source = paneWorkerSource(here);
    expect(source).toHaveProperty('evalCode');
    const code = (source as { evalCode: string }).evalCode;
    expect(code).toMatch(/import\("file:\/\/.*\/tsx\/dist\/esm\/api\/index\.mjs"\)/);
    expect(code).toContain(JSON.stringify(new URL('./pane-worker.ts', here).href));
  });

  test('neither: says to rebuild', () => {
    expect(() => paneWorkerSource(moduleIn([]))).toThrow(/pane worker is missing.*npm run build/);
  });
});
