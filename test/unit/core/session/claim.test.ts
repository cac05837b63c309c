import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionClaims } from '../../../../src/core/session/claim.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const dirs: string[] = [];
function claims(): { dir: string; claims: SessionClaims } {
  const dir = mkdtempSync(join(tmpdir(), 'coi-claims-'));
  dirs.push(dir);
  return { dir, claims: new SessionClaims(dir) };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SessionClaims', () => {
  it('holds a container for this process until released', async () => {
    const { claims: c } = claims();
    expect(await c.held('coi-abc-1')).toBe(false);
    const release = await c.claim('coi-abc-1');
    expect(await c.held('coi-abc-1')).toBe(true);
    expect(await c.held('coi-abc-2')).toBe(false);
    release();
    expect(await c.held('coi-abc-1')).toBe(false);
  });

  it('does not count the claim of a process that is gone (killed)', async () => {
    const { dir, claims: c } = claims();
    const dead = spawnSync('true').pid;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'coi-abc-1.pid'), String(dead));
    expect(await c.held('coi-abc-1')).toBe(false);
    await c.drop('coi-abc-1');
    expect(existsSync(join(dir, 'coi-abc-1.pid'))).toBe(false);
  });

  it('ends with its process when never released', () => {
    const { dir } = claims();
    const script = join(dir, 'child.mts');
    writeFileSync(
      script,
      `import { SessionClaims } from ${JSON.stringify(join(ROOT, 'src/core/session/claim.ts'))};
      await new SessionClaims(${JSON.stringify(dir)}).claim('coi-abc-1');
      console.log('claimed');`,
    );
    const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [script], { cwd: ROOT });
    expect(out.toString()).toContain('claimed');
    expect(existsSync(join(dir, 'coi-abc-1.pid'))).toBe(false);
  });
});
