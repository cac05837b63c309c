import { describe, expect, it } from 'vitest';
import type { Image } from '../../../../src/incus/image-types.js';
import { imageInfoText } from '../../../../src/cli/views/image-text.js';

const image: Image = {
  fingerprint: 'abc123',
  filename: 'x.tar',
  size: 3 * 2 ** 20,
  architecture: 'x86_64',
  type: 'container',
  public: false,
  cached: false,
  auto_update: true,
  aliases: [{ name: 'coi-default', description: 'the default' }],
  properties: { os: 'debian', description: 'coi image' },
  profiles: ['default'],
  created_at: '2025-01-01T00:00:00Z',
  uploaded_at: '2025-01-01T00:01:00Z',
  last_used_at: '0001-01-01T00:00:00Z',
  expires_at: '0001-01-01T00:00:00Z',
};

describe('imageInfoText', () => {
  it('shows what `incus image info` shows, zero times as never', () => {
    expect(imageInfoText(image).split('\n')).toEqual([
      'Fingerprint: abc123',
      'Size: 3.0 MiB',
      'Architecture: x86_64',
      'Type: container',
      'Public: no',
      'Timestamps:',
      '    Created: 2025-01-01T00:00:00Z',
      '    Uploaded: 2025-01-01T00:01:00Z',
      '    Expires: never',
      '    Last used: never',
      'Properties:',
      '    description: coi image',
      '    os: debian',
      'Aliases:',
      '    - coi-default (the default)',
      'Cached: no',
      'Auto update: enabled',
      'Profiles:',
      '    - default',
    ]);
  });
});
