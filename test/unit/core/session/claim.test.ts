import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionClaims } from '../../../../src/core/session/claim.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const NAME = 'coi-abc-1';
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
  it('knows only the sessions of its coi home', async () => {
    const { claims: c } = claims();
    expect(await c.state(NAME)).toBe('unknown');
  });

  it('a session is attended while its process waits on it, detached once released', async () => {
    const { claims: c } = claims();
    const claim = await c.claim(NAME);
    expect(await c.state(NAME)).toBe('attended');
    expect(await c.state('coi-abc-2')).toBe('unknown');
    claim.release();
    expect(await c.state(NAME)).toBe('detached');
    await c.forget(NAME);
    expect(await c.state(NAME)).toBe('unknown');
  });

  it('a launch undone drops its claim', async () => {
    const { claims: c } = claims();
    await (await c.claim(NAME)).drop();
    expect(await c.state(NAME)).toBe('unknown');
  });

  it('the session of a killed process is detached', async () => {
    const { dir, claims: c } = claims();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${NAME}.pid`), String(spawnSync('true').pid));
    expect(await c.state(NAME)).toBe('detached');
  });

  it('a release never touches a claim that is no longer its own', async () => {
    const { dir, claims: c } = claims();
    const claim = await c.claim(NAME);
    writeFileSync(join(dir, `${NAME}.pid`), '1');
    claim.release();
    expect(readFileSync(join(dir, `${NAME}.pid`), 'utf8')).toBe('1');
  });

  it('a session is detached when its process exits without releasing it', () => {
    const { dir, claims: c } = claims();
    const script = join(dir, 'child.mts');
    writeFileSync(
      script,
      `import { SessionClaims } from ${JSON.stringify(join(ROOT, 'src/core/session/claim.ts'))};
      await new SessionClaims(${JSON.stringify(dir)}).claim(${JSON.stringify(NAME)});
      console.log('claimed');`,
    );
    const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [script], { cwd: ROOT });
    expect(out.toString()).toContain('claimed');
    expect(readFileSync(join(dir, `${NAME}.pid`), 'utf8')).toBe('detached');
    return expect(c.state(NAME)).resolves.toBe('detached');
  });
});
