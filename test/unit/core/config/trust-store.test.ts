import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/core/config/errors.js';
import {
  readApprovals,
  trustStoreFile,
  writeApprovals,
} from '../../../../src/core/config/trust-store.js';
import { makeHost } from './fixture.js';

const FP = 'a'.repeat(64);

describe('~/.coi/trust.toml', () => {
  it('holds no approval while it does not exist', () => {
    const host = makeHost();
    expect(trustStoreFile(host.home)).toBe(join(host.home, '.coi', 'trust.toml'));
    expect(readApprovals(host.home)).toEqual({});
  });

  it('is written as the Go coi writes it, 0600, sorted, with no temporary file left', () => {
    const host = makeHost();
    writeApprovals(host.home, { '/w/b/.coi/config.toml': FP, '/w/a b/.coi/config.toml': FP });
    const file = trustStoreFile(host.home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(host.home, '.coi'))).toEqual(['trust.toml']);
    expect(readApprovals(host.home)).toEqual({
      '/w/a b/.coi/config.toml': FP,
      '/w/b/.coi/config.toml': FP,
    });
  });

  it('reads a store the Go coi wrote', () => {
    const host = makeHost();
    host.write(
      trustStoreFile(host.home),
      `[approvals]\n  "/home/u/app/.coi/config.toml" = "${FP}"\n`,
    );
    expect(readApprovals(host.home)).toEqual({ '/home/u/app/.coi/config.toml': FP });
  });

  it('refuses a damaged store, naming it and how to fix it', () => {
    const host = makeHost();
    for (const text of ['[approvals\n', 'approvals = 3\n', '[approvals]\n"/x" = 1\n']) {
      host.write(trustStoreFile(host.home), text);
      let error: unknown;
      try {
        readApprovals(host.home);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(
        /^~\/\.coi\/trust\.toml: approvals: expected a TOML file with an \[approvals\] table .*; got .*; fix it, or delete ~\/\.coi\/trust\.toml and approve your workspaces again with `coi trust`$/,
      );
    }
  });
});
