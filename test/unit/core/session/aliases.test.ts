import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AliasRegistry } from '../../../../src/core/session/aliases.js';

let root: string;
let registry: AliasRegistry;
let workspace: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'coi-aliases-'));
  registry = new AliasRegistry(join(root, '.coi'));
  workspace = join(root, 'project');
  mkdirSync(workspace);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the alias registry (~/.coi/aliases.json)', () => {
  it('is empty until a session registers an alias, then writes the Go coi’s shape', () => {
    expect(registry.entries()).toEqual({});
    expect(registry.resolve('proj')).toBeUndefined();
    registry.register('proj', workspace, 'work');
    expect(JSON.parse(readFileSync(registry.file, 'utf8'))).toEqual({
      proj: { workspace, profile: 'work' },
    });
    expect(statSync(registry.file).mode & 0o777).toBe(0o600);
    expect(registry.resolve('proj')).toEqual({
      alias: 'proj',
      entry: { workspace, profile: 'work' },
    });
  });

  it('reads ALIAS-N as slot N of the alias, unless ALIAS-N is itself an alias', () => {
    registry.register('proj', workspace);
    expect(registry.resolve('proj-3')).toEqual({ alias: 'proj', entry: { workspace }, slot: 3 });
    expect(registry.resolve('other-3')).toBeUndefined();
    registry.register('proj-3', workspace);
    expect(registry.resolve('proj-3')).toEqual({ alias: 'proj-3', entry: { workspace } });
  });

  it('refuses an alias of another workspace that still exists, and takes over a vanished one', () => {
    registry.register('proj', workspace);
    const other = join(root, 'other');
    mkdirSync(other);
    expect(() => registry.register('proj', other)).toThrow(
      `[container] alias "proj" is already registered to ${workspace} (this workspace: ${other})`,
    );
    rmSync(workspace, { recursive: true });
    registry.register('proj', other);
    expect(registry.lookup('proj')).toEqual({ workspace: other });
  });

  it('says how to recover from a registry that is not JSON', () => {
    mkdirSync(join(root, '.coi'), { recursive: true });
    writeFileSync(registry.file, '{not json');
    expect(() => registry.entries()).toThrow(
      /aliases\.json is not a JSON object of aliases; fix it or delete it/,
    );
  });
});
