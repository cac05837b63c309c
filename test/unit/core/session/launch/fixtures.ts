import { join } from 'node:path';
import type { ConfigOverrides } from '../../../../../src/core/config/index.js';
import type { LaunchRequest } from '../../../../../src/core/session/launch.js';
import type { LaunchFacts } from '../../../../../src/core/session/launch/facts.js';
import { toolAdapter } from '../../../../../src/core/tools/registry.js';
import type { IncusApi } from '../../../../../src/incus/interfaces.js';
import { loadedConfig } from '../config.js';

export const WORKSPACE = '/home/dev/project';
export const PREFIX = 'coi-unit-';

/** The default Incus profile the facts report: a root disk on a pool, a NIC on a bridge. */
export const PROFILE = {
  config: {},
  devices: {
    root: { type: 'disk', path: '/', pool: 'profile-pool' },
    eth0: { type: 'nic', name: 'eth0', network: 'profilebr0' },
  },
};

/** What `gatherFacts` would find on a host with nothing of the workspace yet, plus `over`. */
export function facts(over: Partial<LaunchFacts> = {}): LaunchFacts {
  return {
    tool: toolAdapter('claude'),
    owner: { uid: 1234, gid: 1234 },
    instances: [],
    idmappedMounts: true,
    hostRoot: true,
    profile: PROFILE,
    image: { image: 'coi-default' },
    savedSessions: [],
    newSessionId: 'fresh-id',
    ...over,
  };
}

/** A `coi shell` launch of the workspace with the built-in config plus `overrides`. */
export function launchRequest(
  incus: IncusApi,
  coiDir: string,
  overrides: ConfigOverrides = {},
  over: Partial<LaunchRequest> = {},
): LaunchRequest {
  return {
    incus,
    loaded: loadedConfig(overrides),
    workspace: WORKSPACE,
    cliEnv: {},
    hostEnv: {},
    coiDir,
    // A host home with no agent logins: nothing of the real one is read.
    hostHome: join(coiDir, 'host-home'),
    prefix: PREFIX,
    startTool: true,
    ...over,
  };
}
