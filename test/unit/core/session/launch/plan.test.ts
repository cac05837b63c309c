import { describe, expect, it } from 'vitest';
import type { ConfigOverrides } from '../../../../../src/core/config/index.js';
import { LaunchError } from '../../../../../src/core/session/launch/launch-error.js';
import { planLaunch, type PlanRequest } from '../../../../../src/core/session/launch/plan.js';
import type { SavedSession } from '../../../../../src/core/session/saved-sessions.js';
import type { Instance } from '../../../../../src/incus/instance-types.js';
import { COI_KEYS } from '../../../../../src/shared/instance-keys.js';
import { containerName } from '../../../../../src/shared/naming.js';
import { loadedConfig } from '../config.js';
import { PREFIX, PROFILE, WORKSPACE, facts } from './fixtures.js';

function request(overrides: ConfigOverrides = {}, over: Partial<PlanRequest> = {}): PlanRequest {
  return {
    loaded: loadedConfig(overrides),
    workspace: WORKSPACE,
    prefix: PREFIX,
    hostEnv: {},
    ...over,
  };
}

/** A container of the workspace in `slot`, persistent, with its address pinned on `bridge`. */
function container(
  slot: number,
  opts: {
    status?: string;
    persistent?: boolean;
    ip?: string;
    expanded?: Record<string, string>;
  } = {},
): Instance {
  const config = { [COI_KEYS.persistent]: String(opts.persistent ?? true) };
  const eth0: Record<string, string> = { type: 'nic', name: 'eth0', network: 'oldbr0' };
  if (opts.ip !== '') eth0['ipv4.address'] = opts.ip ?? `10.0.0.${slot}`;
  return {
    name: containerName(WORKSPACE, slot, PREFIX),
    type: 'container',
    status: opts.status ?? 'Stopped',
    status_code: 102,
    created_at: '',
    last_used_at: '',
    location: 'none',
    project: 'default',
    architecture: 'x86_64',
    config,
    devices: {},
    ephemeral: false,
    profiles: ['default'],
    stateful: false,
    description: '',
    expanded_config: { ...config, ...opts.expanded },
    expanded_devices: { eth0 },
  };
}

function saved(id: string, savedAt: string): SavedSession {
  return {
    session_id: id,
    container_name: 'old',
    persistent: false,
    workspace: WORKSPACE,
    saved_at: savedAt,
    tool: 'claude',
    dir: `/coi/sessions-claude/${id}`,
  };
}

describe('planLaunch: reuse or create', () => {
  it('reuses the lowest stopped persistent container of the workspace, on its own bridge', () => {
    const plan = planLaunch(
      facts({
        instances: [
          container(3),
          container(1, { status: 'Running' }),
          container(2),
          container(4, { persistent: false }),
        ],
      }),
      request({ container: { persistent: true }, monitoring: { enabled: true } }),
    );
    expect(plan.target).toEqual({
      kind: 'reuse',
      container: containerName(WORKSPACE, 2, PREFIX),
      slot: 2,
      ip: '10.0.0.2',
    });
    expect(plan.bridge).toBe('oldbr0');
    // Its canaries were planted when it was made; the home is not re-seeded.
    expect(plan.canaries).toBe(false);
  });

  it('reuses only the requested slot when one is given', () => {
    const plan = planLaunch(
      facts({ instances: [container(2), container(5)] }),
      request({ container: { persistent: true } }, { slot: 5 }),
    );
    expect(plan.target).toMatchObject({ kind: 'reuse', slot: 5 });
  });

  it('a reused container without a pinned address is refused (made by an older coi)', () => {
    expect(() =>
      planLaunch(
        facts({ instances: [container(1, { ip: '' })] }),
        request({ container: { persistent: true } }),
      ),
    ).toThrow(/no IPv4 address pinned on its NIC.*coi kill/);
  });

  it('creates a fresh container on the profile bridge and pool when nothing is reusable', () => {
    const plan = planLaunch(
      facts({ instances: [container(1, { status: 'Running' })] }),
      request({ container: { persistent: true }, monitoring: { enabled: true } }),
    );
    expect(plan.target).toEqual({ kind: 'create', image: 'coi-default', pool: 'profile-pool' });
    expect(plan.bridge).toBe('profilebr0');
    expect(plan.canaries).toBe(true);
    expect(plan.sessionId).toBe('fresh-id');
    expect(plan.restore).toBeUndefined();
  });

  it('coi run forces an ephemeral container: a stopped persistent one is not reused', () => {
    const plan = planLaunch(
      facts({ instances: [container(1)] }),
      request({ container: { persistent: true } }, { ephemeral: true }),
    );
    expect(plan.persistent).toBe(false);
    expect(plan.target.kind).toBe('create');
  });

  it('an ephemeral config never reuses either', () => {
    const plan = planLaunch(
      facts({ instances: [container(1)] }),
      request({ container: { persistent: false } }),
    );
    expect(plan.persistent).toBe(false);
    expect(plan.target.kind).toBe('create');
  });

  it('falls back to the incusbr0 bridge and the default pool when the profile names neither', () => {
    const plan = planLaunch(facts({ profile: { config: {}, devices: {} } }), request());
    expect(plan.bridge).toBe('incusbr0');
    expect(plan.target).toMatchObject({ kind: 'create', pool: 'default' });
  });
});

describe('planLaunch: image', () => {
  it('a missing --image is an error naming it', () => {
    expect(() => planLaunch(facts({ image: { missing: 'my-image' } }), request())).toThrow(
      new LaunchError(
        'image "my-image" does not exist: build it with `coi build` or pick another with --image',
      ),
    );
  });

  it('a missing image does not matter when a persistent container is reused', () => {
    const plan = planLaunch(
      facts({ image: { missing: 'coi-default' }, instances: [container(1)] }),
      request({ container: { persistent: true } }),
    );
    expect(plan.target.kind).toBe('reuse');
  });

  it('the base image standing in for an unbuilt coi-default carries its note', () => {
    const note = 'Image coi-default is not built yet (run `coi build`); using the base image b';
    const plan = planLaunch(facts({ image: { image: 'b', note } }), request());
    expect(plan.target).toEqual({ kind: 'create', image: 'b', note, pool: 'profile-pool' });
  });
});

describe('planLaunch: refusals', () => {
  it('refuses a default profile that makes containers privileged', () => {
    const profile = { ...PROFILE, config: { 'security.privileged': 'true' } };
    expect(() => planLaunch(facts({ profile }), request())).toThrow(
      /would run privileged.*incus profile unset default security\.privileged/,
    );
  });

  it('refuses a reused container whose own config makes it privileged', () => {
    const instances = [container(1, { expanded: { 'security.privileged': 'true' } })];
    expect(() =>
      planLaunch(facts({ instances }), request({ container: { persistent: true } })),
    ).toThrow(/would run privileged/);
  });

  it('refuses a workspace that is not a directory', () => {
    expect(() => planLaunch(facts({ owner: undefined }), request())).toThrow(
      `workspace ${WORKSPACE} is not a directory`,
    );
  });
});

describe('planLaunch: code user', () => {
  it('with idmapped mounts the code user takes the workspace owner’s uid', () => {
    const plan = planLaunch(facts(), request({ incus: { code_uid: 1000, code_user: 'dev' } }));
    expect(plan).toMatchObject({
      mapping: { kind: 'shift' },
      codeUid: 1234,
      codeUser: 'dev',
      home: '/home/dev',
    });
  });

  it('without idmapped mounts it keeps the configured uid', () => {
    const plan = planLaunch(
      facts({ idmappedMounts: false }),
      request({ incus: { code_uid: 1000 } }),
    );
    expect(plan).toMatchObject({
      mapping: { kind: 'raw-idmap', rawIdmap: 'both 1234 1000' },
      codeUid: 1000,
    });
  });

  it('disable_shift turns idmapping off even when the kernel can', () => {
    const plan = planLaunch(facts(), request({ incus: { code_uid: 1000, disable_shift: true } }));
    expect(plan).toMatchObject({ mapping: { kind: 'raw-idmap' }, codeUid: 1000 });
  });

  it('a root-owned workspace is mapped onto the configured uid by coi’s own idmapped mount', () => {
    const plan = planLaunch(
      facts({ owner: { uid: 0, gid: 0 } }),
      request({ incus: { code_uid: 1000 } }),
    );
    expect(plan).toMatchObject({ mapping: { kind: 'owner-to-code' }, codeUid: 1000 });
  });
});

describe('planLaunch: storage pool', () => {
  it('[container] storage_pool wins over the profile’s pool', () => {
    const plan = planLaunch(facts(), request({ container: { storage_pool: 'fast' } }));
    expect(plan.target).toMatchObject({ kind: 'create', pool: 'fast' });
  });

  it('an empty storage_pool leaves the profile’s pool', () => {
    const plan = planLaunch(facts(), request({ container: { storage_pool: '' } }));
    expect(plan.target).toMatchObject({ kind: 'create', pool: 'profile-pool' });
  });
});

describe('planLaunch: resume', () => {
  const sessions = [
    saved('newest', '2026-02-02T00:00:00Z'),
    saved('older', '2026-01-01T00:00:00Z'),
  ];

  it('--resume takes the newest saved session: its id, and its state to restore', () => {
    const plan = planLaunch(
      facts({ savedSessions: sessions }),
      request({}, { resume: { kind: 'latest' } }),
    );
    expect(plan.sessionId).toBe('newest');
    expect(plan.restore).toEqual({ session: sessions[0], stateDir: '.claude' });
  });

  it('--resume <id> takes that one', () => {
    const plan = planLaunch(
      facts({ savedSessions: sessions }),
      request({}, { resume: { kind: 'id', id: 'older' } }),
    );
    expect(plan.sessionId).toBe('older');
  });

  it('an unknown id is an error', () => {
    expect(() =>
      planLaunch(
        facts({ savedSessions: sessions }),
        request({}, { resume: { kind: 'id', id: 'gone' } }),
      ),
    ).toThrow(`no saved claude session gone for ${WORKSPACE}`);
  });

  it('nothing to resume is an error', () => {
    expect(() => planLaunch(facts(), request({}, { resume: { kind: 'latest' } }))).toThrow(
      `no saved claude session for ${WORKSPACE} to resume`,
    );
  });
});

describe('planLaunch: security', () => {
  it('the monitor daemon runs for monitoring, the allowlist resolver or supervision', () => {
    // A persistent session without host locks or monitoring needs no daemon.
    const off = {
      monitoring: { enabled: false },
      container: { persistent: true },
      security: { host_immutable: false },
    };
    const daemon = (overrides: ConfigOverrides) =>
      planLaunch(facts(), request(overrides)).monitorDaemon;
    expect(daemon(off)).toBe(false);
    expect(daemon({ ...off, network: { mode: 'allowlist' } })).toBe(true);
    expect(daemon({ ...off, monitoring: { enabled: true } })).toBe(true);
    // Supervision: host locks to release, or an ephemeral session to end when it powers off.
    expect(daemon({ ...off, security: { host_immutable: true } })).toBe(true);
    expect(daemon({ ...off, container: { persistent: false } })).toBe(true);
    expect(daemon({ ...off, security: { host_immutable: true, disable_protection: true } })).toBe(
      false,
    );
  });

  it('the ssh-agent socket is forwarded only when asked for and one runs', () => {
    const hostEnv = { SSH_AUTH_SOCK: '/run/agent.sock' };
    expect(
      planLaunch(facts(), request({ ssh: { forward_agent: true } }, { hostEnv })).sshAgentSocket,
    ).toBe('/run/agent.sock');
    expect(
      planLaunch(facts(), request({ ssh: { forward_agent: false } }, { hostEnv })).sshAgentSocket,
    ).toBeUndefined();
    expect(
      planLaunch(facts(), request({ ssh: { forward_agent: true } })).sshAgentSocket,
    ).toBeUndefined();
  });
});
