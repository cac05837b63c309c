import { describe, expect, it } from 'vitest';
import { buildLaunchSpec, type LaunchSpecInput } from '../../../../src/core/session/launch-spec.js';
import { isHostSocketDevice } from '../../../../src/core/session/launch/host-sockets.js';
import { readCoiKeys } from '../../../../src/shared/instance-keys.js';
import { config } from './config.js';

function input(extra: Partial<LaunchSpecInput> = {}): LaunchSpecInput {
  return {
    name: 'coi-abcdef12-1',
    image: 'coi-default',
    workspace: '/home/dev/project',
    slot: 1,
    sessionId: 'sid-1',
    tool: 'claude',
    persistent: false,
    config: config(),
    pool: 'default',
    bridge: 'incusbr0',
    ipv4Address: '10.99.0.250',
    mapping: { kind: 'shift' },
    workspaceSource: '/home/dev/project',
    protectedPaths: ['.git/hooks', '.git/config'],
    ...extra,
  };
}

describe('launch spec', () => {
  it('pins the address on a spoof-proof NIC, so rules keyed by it are in before start', () => {
    expect(buildLaunchSpec(input()).devices?.eth0).toMatchObject({
      'ipv4.address': '10.99.0.250',
      'security.ipv4_filtering': 'true',
      'security.mac_filtering': 'true',
      'security.port_isolation': 'true',
    });
  });

  it('gives the container an id range of its own', () => {
    expect(buildLaunchSpec(input()).config?.['security.idmap.isolated']).toBe('true');
  });

  it('turns Docker off and denies the escape syscalls as the kernel surface config says', () => {
    const spec = buildLaunchSpec(
      input({ config: config({ security: { reduce_kernel_surface: true } }) }),
    );
    expect(spec.config).toMatchObject({
      'security.nesting': 'false',
      'security.syscalls.intercept.mknod': 'false',
      'security.syscalls.intercept.setxattr': 'false',
    });
    expect(spec.config?.['security.syscalls.deny']).toMatch(/^io_uring_setup errno 1\n/);
  });

  it('records the session in user.coi.* keys and hardens the container', () => {
    const spec = buildLaunchSpec(input({ persistent: true, profile: 'work' }));
    expect(spec.config).toMatchObject({
      'user.coi.workspace': '/home/dev/project',
      'user.coi.slot': '1',
      'user.coi.tool': 'claude',
      'user.coi.persistent': 'true',
      'user.coi.session_id': 'sid-1',
      'user.coi.code_user': 'code',
      'user.coi.profile': 'work',
      // What the supervision checks before it ends a session that powered itself off.
      'user.coi.launched_by': 'session',
      'security.nesting': 'true',
      'security.guestapi': 'false',
    });
    expect(spec.config?.['security.privileged']).toBeUndefined();
    // Incus must keep a stopped container so the session can still be saved from it.
    expect(spec.ephemeral).toBe(false);
    expect(spec.image).toEqual({ alias: 'coi-default' });
  });

  it("records the config's monitoring thresholds for the monitor daemon", () => {
    const spec = buildLaunchSpec(input());
    expect(JSON.parse(spec.config?.['user.coi.monitoring'] ?? '{}')).toEqual({
      process_count_threshold: 0,
      process_spawn_rate_threshold: 100,
      file_read_threshold_mb: 50,
      file_read_rate_mb_per_sec: 10,
      file_write_threshold_mb: 50,
      file_write_rate_mb_per_sec: 10,
      reverse_shell_one_liners: 'critical',
      auto_pause_on_high: true,
      auto_kill_on_critical: true,
      dns_query_threshold: 100,
    });
  });

  it("records the config's no_sni for the egress proxy, read back as the container's own", () => {
    const refuse = buildLaunchSpec(input()).config ?? {};
    expect(refuse['user.coi.no_sni']).toBe('refuse');
    const base = config();
    const allow = {
      ...base,
      network: { ...base.network, proxy: { ...base.network.proxy, no_sni: 'allow' as const } },
    };
    const recorded = buildLaunchSpec(input({ config: allow })).config ?? {};
    expect(readCoiKeys(recorded).noSni).toBe('allow');
    expect(readCoiKeys({}).noSni).toBeUndefined();
    expect(readCoiKeys({ 'user.coi.no_sni': 'sometimes' }).noSni).toBeUndefined();
  });

  it('records any_name_proxy (inject_in_open) with the blocks restricted mode keeps; open keeps none', () => {
    expect(readCoiKeys(buildLaunchSpec(input()).config).anyNameProxy).toBeUndefined();
    const restricted = buildLaunchSpec(input({ anyNameProxy: true })).config;
    expect(readCoiKeys(restricted).anyNameProxy).toEqual({ metadata: true, private: true });
    const base = config();
    const open = { ...base, network: { ...base.network, mode: 'open' as const } };
    const recorded = buildLaunchSpec(input({ config: open, anyNameProxy: true })).config;
    expect(readCoiKeys(recorded).anyNameProxy).toEqual({ metadata: false, private: false });
    // A hand edit that is not the recorded shape blocks everything.
    expect(readCoiKeys({ 'user.coi.any_name_proxy': 'x' }).anyNameProxy).toEqual({
      metadata: true,
      private: true,
    });
  });

  it('mounts the workspace idmapped at /workspace and protected paths read-only over it', () => {
    const { devices, config: cfg } = buildLaunchSpec(input());
    expect(devices?.workspace).toEqual({
      type: 'disk',
      source: '/home/dev/project',
      path: '/workspace',
      shift: 'true',
    });
    expect(devices?.['protect-0']).toEqual({
      type: 'disk',
      source: '/home/dev/project/.git/hooks',
      path: '/workspace/.git/hooks',
      readonly: 'true',
      shift: 'true',
    });
    expect(devices?.['protect-1']?.path).toBe('/workspace/.git/config');
    expect(cfg?.['raw.idmap']).toBeUndefined();
  });

  it('mounts each secret mask read-only and shifted (as the workspace) over its match', () => {
    const { devices } = buildLaunchSpec(
      input({
        secretMasks: [
          { rel: '.env', source: '/home/dev/.coi/masks/empty-file' },
          { rel: 'secrets', source: '/home/dev/.coi/masks/empty-dir' },
        ],
      }),
    );
    expect(devices?.['secret-0']).toEqual({
      type: 'disk',
      source: '/home/dev/.coi/masks/empty-file',
      path: '/workspace/.env',
      readonly: 'true',
      shift: 'true',
    });
    expect(devices?.['secret-1']).toMatchObject({
      source: '/home/dev/.coi/masks/empty-dir',
      path: '/workspace/secrets',
    });
    expect(Object.keys(buildLaunchSpec(input()).devices ?? {})).not.toContain('secret-0');
  });

  it('mounts carve-outs writable over their protected directory', () => {
    const { devices } = buildLaunchSpec(input({ writablePaths: ['.vscode/settings.json'] }));
    expect(devices?.['writable-0']).toEqual({
      type: 'disk',
      source: '/home/dev/project/.vscode/settings.json',
      path: '/workspace/.vscode/settings.json',
      shift: 'true',
    });
  });

  it("mounts a linked worktree's git directory at its own path, guarded parts read-only", () => {
    const { devices } = buildLaunchSpec(
      input({
        gitdirMounts: [
          { source: '/home/dev/main/.git', path: '/home/dev/main/.git', readonly: false },
          {
            source: '/home/dev/main/.git/hooks',
            path: '/home/dev/main/.git/hooks',
            readonly: true,
          },
        ],
      }),
    );
    expect(devices?.['gitdir-0']).toEqual({
      type: 'disk',
      source: '/home/dev/main/.git',
      path: '/home/dev/main/.git',
      shift: 'true',
    });
    expect(devices?.['gitdir-1']).toMatchObject({
      path: '/home/dev/main/.git/hooks',
      readonly: 'true',
    });
  });

  it('sets the raw.idmap of that mapping, and shifts neither the workspace nor other mounts', () => {
    const plain = buildLaunchSpec(
      input({
        mapping: { kind: 'raw-idmap', rawIdmap: 'both 1500 1000' },
        config: config({
          mounts: { default: [{ host: '/srv/x', container: '/x', readonly: false }] },
        }),
      }),
    );
    expect(plain.config?.['raw.idmap']).toBe('both 1500 1000');
    expect(plain.devices?.workspace?.shift).toBeUndefined();
    expect(plain.devices?.['protect-0']?.shift).toBeUndefined();
    expect(plain.devices?.['mount-0']?.shift).toBeUndefined();
  });

  it('binds coi’s idmapped mount of the workspace unshifted, protected paths and mounts shifted', () => {
    const { devices, config: cfg } = buildLaunchSpec(
      input({
        mapping: { kind: 'owner-to-code' },
        workspaceSource: '/run/coi/idmapped/coi-abcdef12-1',
        config: config({
          mounts: { default: [{ host: '/srv/x', container: '/x', readonly: false }] },
        }),
      }),
    );
    expect(devices?.workspace).toEqual({
      type: 'disk',
      source: '/run/coi/idmapped/coi-abcdef12-1',
      path: '/workspace',
    });
    expect(devices?.['protect-0']).toEqual({
      type: 'disk',
      source: '/home/dev/project/.git/hooks',
      path: '/workspace/.git/hooks',
      readonly: 'true',
      shift: 'true',
    });
    expect(devices?.['mount-0']?.shift).toBe('true');
    expect(cfg?.['raw.idmap']).toBeUndefined();
  });

  it('maps limits to Incus keys', () => {
    const spec = buildLaunchSpec(
      input({
        config: config({
          limits: {
            cpu: { count: '2', allowance: '50%', priority: 3 },
            memory: { limit: '2GiB', enforce: 'hard', swap: false },
            disk: { read: '50MiB', write: '10MiB', priority: 4 },
            runtime: { max_processes: 500 },
          },
        }),
      }),
    );
    expect(spec.config).toMatchObject({
      'limits.cpu': '2',
      'limits.cpu.allowance': '50%',
      'limits.cpu.priority': '3',
      'limits.memory': '2GiB',
      'limits.memory.enforce': 'hard',
      'limits.memory.swap': 'false',
      'limits.processes': '500',
      'limits.disk.priority': '4',
    });
    expect(spec.devices?.root).toEqual({
      type: 'disk',
      path: '/',
      pool: 'default',
      'limits.read': '50MiB',
      'limits.write': '10MiB',
    });
    const none = buildLaunchSpec(input());
    expect(Object.keys(none.config ?? {}).filter((k) => k.startsWith('limits.'))).toEqual([]);
    expect(none.devices?.root?.size).toBeUndefined();
    expect(none.config?.['raw.lxc']).toBeUndefined();
  });

  it('sets the root disk quota, a swap size and a tmpfs /tmp of the configured size', () => {
    const spec = buildLaunchSpec(
      input({
        config: config({
          limits: { memory: { swap: '1GiB' }, disk: { size: '20GiB', tmpfs_size: '512MiB' } },
        }),
      }),
    );
    expect(spec.devices?.root).toEqual({ type: 'disk', path: '/', pool: 'default', size: '20GiB' });
    expect(spec.config?.['limits.memory.swap']).toBe('1GiB');
    expect(spec.config?.['raw.lxc']).toBe(
      `lxc.mount.entry = tmpfs tmp tmpfs rw,nosuid,nodev,mode=1777,size=${512 * 2 ** 20} 0 0`,
    );
    const said = buildLaunchSpec(
      input({ config: config({ limits: { memory: { swap: 'false' } } }) }),
    );
    expect(said.config?.['limits.memory.swap']).toBe('false');
    const on = buildLaunchSpec(input({ config: config({ limits: { memory: { swap: 'true' } } }) }));
    expect(on.config?.['limits.memory.swap']).toBeUndefined();
  });

  it('leaves the host sockets out: they are plugged in after boot', () => {
    const spec = buildLaunchSpec(
      input({
        config: config({
          sockets: [{ host: '/run/docker.sock', container: '/run/docker.sock', env: 'DOCKER' }],
        }),
      }),
    );
    expect(Object.keys(spec.devices ?? {}).filter(isHostSocketDevice)).toEqual([]);
  });

  it('adds configured mounts with their own read-only and shift settings', () => {
    const spec = buildLaunchSpec(
      input({
        config: config({
          mounts: { default: [{ host: '/srv/data', container: '/data', readonly: true }] },
        }),
      }),
    );
    expect(spec.devices?.['mount-0']).toEqual({
      type: 'disk',
      source: '/srv/data',
      path: '/data',
      readonly: 'true',
      shift: 'true',
    });
  });
});

describe('launch spec: [ports]', () => {
  it('publishes each port as a proxy listening on the host and connecting to the loopback inside', () => {
    const { devices } = buildLaunchSpec(
      input({
        ports: [
          {
            name: 'pool-1',
            listen: '127.0.0.1',
            hostPort: 23410,
            containerPort: 23410,
            pool: true,
          },
          { name: 'My_Web', listen: '::1', hostPort: 18080, containerPort: 3000, pool: false },
        ],
      }),
    );
    expect(devices?.['coi-port-pool-1']).toEqual({
      type: 'proxy',
      bind: 'host',
      listen: 'tcp:127.0.0.1:23410',
      connect: 'tcp:127.0.0.1:23410',
    });
    expect(devices?.['coi-port-my-web']).toEqual({
      type: 'proxy',
      bind: 'host',
      listen: 'tcp:[::1]:18080',
      connect: 'tcp:127.0.0.1:3000',
    });
  });
});
