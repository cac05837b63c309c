import { describe, expect, it } from 'vitest';
import { parseContainerPath } from '../../../../src/core/files/container-path.js';

describe('CONTAINER:PATH', () => {
  it('splits at the first colon and wants an absolute path', () => {
    expect(parseContainerPath('box:/a/b/')).toEqual({ container: 'box', path: '/a/b' });
    expect(parseContainerPath('box:/')).toEqual({ container: 'box', path: '/' });
    for (const bad of ['box', ':/x', 'box:rel', 'box:'])
      expect(() => parseContainerPath(bad)).toThrow(expect.objectContaining({ kind: 'usage' }));
  });
});
