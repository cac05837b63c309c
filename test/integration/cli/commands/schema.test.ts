import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';

/**
 * `coi schema profile` and `coi validate profile` on the real CLI. The sandbox's own config is
 * broken on purpose: neither command may load configuration.
 */

let sandbox: CoiSandbox;

beforeAll(() => {
  ensureBuilt();
  sandbox = new CoiSandbox('[network]\nmode = "sideways"\n');
});

afterAll(async () => {
  await sandbox.remove();
});

const coi = (args: string[]) => sandbox.run(args, { cwd: sandbox.root });
const file = (name: string, text: string) => {
  const path = join(sandbox.root, name);
  writeFileSync(path, text);
  return path;
};

const GOOD = '[container]\nimage = "coi-default"\n[network]\nmode = "allowlist"\n';
const BAD = '[network]\nmode = "sideways"\n[tool]\nnmae = "pi"\n';

interface Report {
  valid: boolean;
  errors: { path: string; message: string }[];
}

describe('coi schema profile', () => {
  it('prints a JSON Schema 2020-12 document that a standard validator applies as coi does', async () => {
    const r = await coi(['schema', 'profile']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const schemaFile = file('profile.schema.json', r.stdout);
    // Python's jsonschema, the way the Go coi's docs suggest external tools use the schema.
    const check = (toml: string) =>
      execFileSync(
        'python3',
        [
          '-c',
          [
            'import json, sys, tomllib, jsonschema',
            'schema = json.load(open(sys.argv[1]))',
            'jsonschema.Draft202012Validator.check_schema(schema)',
            'errors = jsonschema.Draft202012Validator(schema).iter_errors(tomllib.load(open(sys.argv[2], "rb")))',
            'print(sorted("/" + "/".join(map(str, e.absolute_path)) for e in errors))',
          ].join('\n'),
          schemaFile,
          file('checked.toml', toml),
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(check(GOOD)).toBe('[]');
    expect(check(BAD)).toBe("['/network/mode', '/tool']");
  });
});

describe('coi validate profile', () => {
  it('says a valid profile is valid, exit 0', async () => {
    const good = file('good.toml', GOOD);
    expect(await coi(['validate', 'profile', good])).toEqual({
      code: 0,
      stdout: 'Profile is valid.\n',
      stderr: '',
    });
    const json = await coi(['validate', 'profile', good, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, errors: [] });
  });

  it('lists each problem as `path: message` on stderr, or as JSON, exit 1', async () => {
    const bad = file('bad.toml', BAD);
    const text = await coi(['validate', 'profile', bad]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe(
      [
        'Profile validation failed:',
        '  /tool/nmae: expected a key of [tool] (name, binary, permission_mode, auto_context, context_file, claude, codex, pre_launch); got unknown key "nmae"; did you mean "tool.name"?',
        '  /network/mode: expected one of restricted, allowlist, open; got "sideways"',
        '',
      ].join('\n'),
    );
    const json = await coi(['validate', 'profile', bad, '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => e.path)).toEqual(['/tool/nmae', '/network/mode']);
    expect(report.errors[1]!.message).toBe(
      'expected one of restricted, allowlist, open; got "sideways"',
    );
  });

  it('reports unreadable files and TOML syntax at the root', async () => {
    const syntax = await coi(['validate', 'profile', file('syntax.toml', '[tool\nname = "pi"\n')]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(
      /^Profile validation failed:\n {2}\(root\): line 1, column \d+: expected valid TOML/,
    );
    const missing = await coi(['validate', 'profile', join(sandbox.root, 'none.toml'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      valid: false,
      errors: [{ path: '', message: 'expected a readable TOML file; got no such file' }],
    });
  });

  it('rejects an unknown format with exit 2', async () => {
    const r = await coi(['validate', 'profile', file('f.toml', GOOD), '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid format "yaml" (use text or json)');
  });
});
