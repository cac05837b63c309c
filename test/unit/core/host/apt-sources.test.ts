import { describe, expect, it } from 'vitest';
import { mirrorFor, parseDeb822, parseOneLine } from '../../../../src/core/host/apt-sources.js';

describe('apt sources', () => {
  it('reads deb822 stanzas and skips deb-src and disabled ones', () => {
    const sources = parseDeb822(
      [
        'Types: deb',
        'URIs: http://deb.debian.org/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
        '',
        'Types: deb-src',
        'URIs: http://src.example/debian',
        'Suites: bookworm',
        'Components: main',
        '',
        'Types: deb',
        'Enabled: no',
        'URIs: http://off.example/debian',
        'Suites: bookworm',
        'Components: main',
      ].join('\n'),
    );
    expect(sources).toEqual([
      {
        uri: 'http://deb.debian.org/debian',
        suites: ['bookworm', 'bookworm-updates'],
        components: ['main'],
        signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
      },
    ]);
  });

  it('reads one-line sources with options and comments', () => {
    expect(
      parseOneLine(
        '# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main contrib\ndeb-src http://x bookworm main\n',
      ),
    ).toEqual([
      { uri: 'http://m.example/debian', suites: ['bookworm'], components: ['main', 'contrib'] },
    ]);
  });

  it('finds the mirror serving a suite with main', () => {
    const sources = [
      { uri: 'http://security', suites: ['bookworm-security'], components: ['main'] },
      { uri: 'http://mirror', suites: ['bookworm'], components: ['main'] },
    ];
    expect(mirrorFor('bookworm', sources)?.uri).toBe('http://mirror');
    expect(mirrorFor('trixie', sources)).toBeUndefined();
  });
});
