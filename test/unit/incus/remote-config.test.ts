import { describe, expect, it } from 'vitest';
import { parseYamlSubset, remotesFromConfig } from '../../../src/incus/remote-config.js';

const cliConfig = `default-remote: prod
remotes:
  images:
    addr: https://images.linuxcontainers.org
    protocol: simplestreams
    public: true
  local:
    addr: unix://
    protocol: incus
    public: false
  prod:   # the build server
    addr: "https://10.0.0.5:8443"
    auth_type: tls
    project: 'ci'
    protocol: incus
    public: false
aliases: {}
`;

describe('incus CLI config.yml', () => {
  it('parses nested maps, quoted scalars, booleans, {} and comments', () => {
    const doc = parseYamlSubset(cliConfig);
    expect(doc.aliases).toEqual({});
    expect(remotesFromConfig(doc)).toEqual({
      defaultRemote: 'prod',
      remotes: {
        images: {
          addr: 'https://images.linuxcontainers.org',
          protocol: 'simplestreams',
          public: true,
          authType: undefined,
          project: undefined,
        },
        local: {
          addr: 'unix://',
          protocol: 'incus',
          public: false,
          authType: undefined,
          project: undefined,
        },
        prod: {
          addr: 'https://10.0.0.5:8443',
          protocol: 'incus',
          public: false,
          authType: 'tls',
          project: 'ci',
        },
      },
    });
  });

  it('always has the implicit local remote', () => {
    expect(remotesFromConfig({})).toEqual({
      defaultRemote: 'local',
      remotes: { local: { addr: 'unix://', protocol: 'incus', public: false } },
    });
  });

  it('names the file and line of unsupported syntax', () => {
    expect(() => parseYamlSubset('remotes:\n  - a\n', '/x/config.yml')).toThrow(
      '/x/config.yml line 2: block lists are not supported here',
    );
    expect(() => parseYamlSubset('a: b\nnot yaml\n')).toThrow(/line 2: expected "key: value"/);
    expect(() => parseYamlSubset('a:\n    b: 1\n  c: 2\n')).toThrow(/line 3: indentation/);
  });
});
