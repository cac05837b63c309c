import { describe, expect, it } from 'vitest';
import { jsonPointer, validationReport } from '../../../../src/core/profile/validation-report.js';

describe('jsonPointer', () => {
  it('turns key paths into RFC 6901 pointers', () => {
    expect(jsonPointer('network.mode')).toBe('/network/mode');
    expect(jsonPointer('mounts.default[0].host')).toBe('/mounts/default/0/host');
    expect(jsonPointer('')).toBe('');
  });

  it('escapes "~" and "/" inside a key', () => {
    expect(jsonPointer('defaults.environment.a/b~c')).toBe('/defaults/environment/a~1b~0c');
  });
});

describe('validationReport', () => {
  it('is valid with no issues', () => {
    expect(validationReport([])).toEqual({ valid: true, errors: [] });
  });

  it('says what was expected and found, with the hint and the position of syntax errors', () => {
    const report = validationReport([
      {
        file: 'p.toml',
        key: 'tool.nmae',
        expected: 'a key of [tool]',
        got: 'unknown key "nmae"',
        hint: 'did you mean "tool.name"?',
      },
      { file: 'p.toml', key: '', expected: 'valid TOML', got: 'x', line: 3, column: 7 },
    ]);
    expect(report).toEqual({
      valid: false,
      errors: [
        {
          path: '/tool/nmae',
          message: 'expected a key of [tool]; got unknown key "nmae"; did you mean "tool.name"?',
        },
        { path: '', message: 'line 3, column 7: expected valid TOML; got x' },
      ],
    });
  });
});
