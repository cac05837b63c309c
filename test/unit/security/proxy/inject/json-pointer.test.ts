import { describe, expect, it } from 'vitest';
import {
  resolvePointer,
  setPointer,
  stringAt,
} from '../../../../../src/security/proxy/inject/json-pointer.js';

describe('JSON pointers', () => {
  it('follows a JSON pointer, escapes included', () => {
    const doc = { a: { 'b/c': [{ '~d': 'x' }] } };
    expect(resolvePointer(doc, '/a/b~1c/0/~0d')).toBe('x');
    expect(resolvePointer(doc, '/a/missing')).toBeUndefined();
    expect(resolvePointer(doc, '')).toBe(doc);
  });

  it('sets a value under an existing object only', () => {
    const doc = { login: { token: 'old', plan: 'max' }, list: [1] };
    expect(setPointer(doc, '/login/token', 'new')).toBe(true);
    expect(setPointer(doc, '/login/expires', 5)).toBe(true);
    expect(doc).toEqual({ login: { token: 'new', plan: 'max', expires: 5 }, list: [1] });
    expect(setPointer(doc, '/missing/token', 'x')).toBe(false);
    expect(setPointer(doc, '/list/0', 2)).toBe(false);
    expect(setPointer(doc, '', 'x')).toBe(false);
    expect(doc).toEqual({ login: { token: 'new', plan: 'max', expires: 5 }, list: [1] });
  });

  it('names the file and pointer where no string is', () => {
    expect(stringAt({ t: 'tok' }, '/t', 'f.json')).toBe('tok');
    expect(() => stringAt({ t: '' }, '/t', 'f.json')).toThrow(
      'f.json has no string at JSON pointer /t',
    );
  });
});
