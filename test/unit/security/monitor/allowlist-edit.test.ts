import { describe, expect, it } from 'vitest';
import {
  AllowlistEditError,
  allowName,
  blockName,
} from '../../../../src/security/monitor/allowlist-edit.js';
import type { AllowlistDomain } from '../../../../src/security/nft/policy.js';

const LIST: AllowlistDomain[] = [
  { name: 'api.github.com', ports: [443] },
  { name: '*.npmjs.org', ports: [] },
];

describe('allowName', () => {
  it('adds the name, lower-cased and without its final dot, for every port', () => {
    expect(allowName(LIST, 'Pypi.ORG.')).toEqual([...LIST, { name: 'pypi.org', ports: [] }]);
  });

  it('refuses a name already allowed, exactly or by a wildcard, and one that is no host name', () => {
    expect(() => allowName(LIST, 'api.github.com')).toThrow('on the allowlist already');
    expect(() => allowName(LIST, 'registry.npmjs.org')).toThrow(AllowlistEditError);
    expect(() => allowName(LIST, 'evil name;rm')).toThrow('is not a host name');
    expect(() => allowName(LIST, 'localhost')).toThrow('is not a host name');
  });
});

describe('blockName', () => {
  it('removes the exact entry and returns it', () => {
    expect(blockName(LIST, 'API.github.com')).toEqual({
      domains: [LIST[1]],
      removed: LIST[0],
    });
  });

  it('names the wildcard entry that admits a name instead of removing it', () => {
    expect(() => blockName(LIST, 'registry.npmjs.org')).toThrow(
      'registry.npmjs.org is allowed by the entry "*.npmjs.org"',
    );
    expect(() => blockName(LIST, 'example.com')).toThrow('example.com is not on the allowlist');
  });
});
