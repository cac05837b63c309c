import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withLockFile } from '../../../src/shared/lock-file.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coi-slot-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('slot lock', () => {
  it('lets one launch of a workspace pick its slot at a time', async () => {
    const dir = tempDir();
    let inside = 0;
    let most = 0;
    let waited = 0;
    await Promise.all(
      [1, 2, 3].map(() =>
        withLockFile(dir, 'coi-abcdef12', { onWait: () => waited++ }, async () => {
          most = Math.max(most, ++inside);
          await new Promise((resolve) => setTimeout(resolve, 60));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(waited).toBe(2);
  });

  it('takes over a lock whose owner died', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'slot-coi-abcdef12.lock'), '999999999');
    expect(await withLockFile(dir, 'coi-abcdef12', {}, async () => 'ran')).toBe('ran');
  });
});
