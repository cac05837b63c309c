import { describe, expect, it } from 'vitest';
import { filterExpression, literalPattern } from '../../../src/incus/filter.js';

describe('filterExpression', () => {
  it('renders exact, case-sensitive, anchored patterns for literal values', () => {
    expect(filterExpression({ name: 'coi-test-a' })).toBe('name eq (?-i)^coi-test-a$');
  });

  it('escapes every regex metacharacter', () => {
    expect(literalPattern('a.b*c+d?e(f)[g]{h}|i^j$k\\l')).toBe(
      '(?-i)^a\\.b\\*c\\+d\\?e\\(f\\)\\[g\\]\\{h\\}\\|i\\^j\\$k\\\\l$',
    );
  });

  it('writes whitespace as escapes so no value needs quotes', () => {
    const expr = filterExpression({ 'config.user.coi.workspace': '/home/u/my ws\tx' });
    expect(expr).toBe('config.user.coi.workspace eq (?-i)^/home/u/my\\x{20}ws\\x{9}x$');
    expect(expr.split(/\s+/)).toHaveLength(3);
  });

  it('matches the empty string (a missing key reads as "")', () => {
    expect(filterExpression({ 'config.user.coi.slot': '' })).toBe(
      'config.user.coi.slot eq (?-i)^$',
    );
  });

  it('joins terms, negates, and passes booleans and patterns through', () => {
    expect(
      filterExpression(
        [
          { field: 'config.user.coi.slot', value: '1' },
          { field: 'ephemeral', value: false },
          { field: 'name', op: 'ne', pattern: 'coi-.*' },
          { field: 'status', value: 'Frozen', not: true },
        ],
        'or',
      ),
    ).toBe(
      'config.user.coi.slot eq (?-i)^1$ or ephemeral eq false or name ne coi-.* or not status eq (?-i)^Frozen$',
    );
  });

  it('rejects bad fields, empty filters and whitespace in patterns with a clear message', () => {
    expect(() => filterExpression({ 'bad field': 'x' })).toThrow(
      /invalid filter field "bad field"/,
    );
    expect(() => filterExpression([])).toThrow(/empty filter/);
    expect(() => filterExpression([{ field: 'name', pattern: 'a b' }])).toThrow(/whitespace/);
    expect(() => filterExpression([{ field: 'name' }])).toThrow(/needs a value or a pattern/);
  });
});
