import { describe, expect, it } from 'vitest';
import {
  headerValue,
  injectRuleFor,
  type InjectRule,
} from '../../../../../src/security/proxy/inject/rules.js';

const rule = (domain: string): InjectRule => ({
  domain,
  header: 'x-api-key',
  source: { kind: 'value', value: 'v' },
  format: '{}',
});

describe('inject rules', () => {
  it('matches an exact name, and *. for names under a domain only', () => {
    const rules = [rule('api.test'), rule('*.corp.test')];
    expect(injectRuleFor('api.test', rules)?.domain).toBe('api.test');
    expect(injectRuleFor('x.api.test', rules)).toBeUndefined();
    expect(injectRuleFor('git.corp.test', rules)?.domain).toBe('*.corp.test');
    expect(injectRuleFor('corp.test', rules)).toBeUndefined();
    expect(injectRuleFor('evilcorp.test', rules)).toBeUndefined();
  });

  it('builds the value from the format', () => {
    expect(headerValue({ ...rule('a.test'), format: 'Bearer {}' }, 'T')).toBe('Bearer T');
    expect(headerValue(rule('a.test'), 'T')).toBe('T');
  });
});
