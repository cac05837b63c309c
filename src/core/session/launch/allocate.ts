import { join } from 'node:path';
import { IncusConflictError, IncusError } from '../../../incus/errors.js';
import type { DeviceMap, InstanceCreateOptions } from '../../../incus/instance-types.js';
import { coiKeysConfig, readCoiKeys } from '../../../shared/instance-keys.js';
import { withFreeAddress } from '../../../security/network/index.js';
import { withLockFile } from '../../../shared/lock-file.js';
import { containerName, lowestFreeSlot, workspaceHash } from '../../../shared/naming.js';
import { PORT_DEVICE_PREFIX, type PublishedPort } from '../../../shared/published-ports.js';
import type { Reverter } from '../../../shared/revert.js';
import type { LaunchRequest } from '../launch.js';
import { kernelSurfaceKeys } from '../../policy/kernel-surface.js';
import { buildLaunchSpec } from '../launch-spec.js';
import {
  idmappedMountpoint,
  makeMountpoint,
  pruneMountpoints,
  removeIdmappedMounts,
} from './idmapped-workspace.js';
import { requireQuotaPool } from './disk-quota.js';
import type { WorkspaceMounts } from '../overlay-devices.js';
import { LaunchError } from './launch-error.js';
import type { LaunchPlan } from './plan.js';
import { forceDelete } from '../../container/force-delete.js';
import { probeHostPort } from '../../host/port-probe.js';
import { isHostSocketDevice } from './host-sockets.js';
import { portDevices, resolvePorts } from './ports.js';

/** The container a session runs in, its slot and the address pinned on its NIC. */
export interface Placement {
  container: string;
  slot: number;
  ip: string;
}

/** A placement with the host ports it publishes (`[ports]`). */
export interface Allocated extends Placement {
  ports: PublishedPort[];
}

type AllocateRequest = Pick<
  LaunchRequest,
  'incus' | 'loaded' | 'workspace' | 'slot' | 'coiDir' | 'prefix' | 'onStep'
>;

/**
 * The reused container as it is, or a new one created stopped in a free slot with a free address
 * pinned, so its rules can go in before it ever runs. A new container's deletion is registered on
 * `revert` as soon as it exists. The host ports `[ports]` publishes are checked free once the slot
 * is known, before the container is created (or a reused one started).
 */
export async function allocate(
  req: AllocateRequest,
  plan: LaunchPlan,
  mounts: WorkspaceMounts,
  revert: Reverter,
): Promise<Allocated> {
  const { target } = plan;
  const portsOf = (slot: number) =>
    resolvePorts({
      ports: req.loaded.config.ports,
      identity: plan.identity,
      slot,
      probe: probeHostPort,
      source: (key) => req.loaded.origins[key]?.source ?? 'effective configuration',
    });
  if (target.kind === 'reuse') {
    req.onStep?.(`Reusing stopped persistent container on slot ${target.slot}`);
    await followWorkspace(req, target.container);
    // The named hosts are this launch's; `coi hosts add` entries of an earlier run end with it.
    await req.incus.instances.patch(target.container, {
      config: coiKeysConfig({ hosts: plan.policy.hosts ?? [] }),
    });
    await convergeKernelSurface(req, target.container);
    const ports = await portsOf(target.slot);
    await replaceSessionDevices(req, target.container, ports);
    return { container: target.container, slot: target.slot, ip: target.ip, ports };
  }
  if (target.note) req.onStep?.(target.note);
  await requireQuotaPool(req.incus, req.loaded, target.pool);
  const idmapped = plan.mapping.kind === 'owner-to-code';
  if (idmapped) await pruneMountpoints(new Set(await req.incus.instances.names()));
  const workspaceSource = async (name: string) => {
    if (!idmapped) return req.workspace;
    const mountpoint = idmappedMountpoint(name);
    await makeMountpoint(mountpoint);
    revert.add(() => removeIdmappedMounts(mountpoint));
    return mountpoint;
  };
  let ports: PublishedPort[] = [];
  const placed = await createInFreeSlot(
    req,
    plan,
    target.image,
    revert,
    async (slot) => {
      ports = await portsOf(slot);
    },
    async (name, slot, ipv4Address) =>
      buildLaunchSpec({
        name,
        image: target.image,
        workspace: req.workspace,
        slot,
        sessionId: plan.sessionId,
        tool: plan.tool.name,
        ...(req.loaded.profile ? { profile: req.loaded.profile.name } : {}),
        persistent: plan.persistent,
        config: req.loaded.config,
        pool: target.pool,
        bridge: plan.bridge,
        ipv4Address,
        mapping: plan.mapping,
        ...(plan.policy.anyNameProxy ? { anyNameProxy: true } : {}),
        workspaceSource: await workspaceSource(name),
        ...mounts,
        ports,
      }),
  );
  return { ...placed, ports };
}

/**
 * A reused container publishes this launch's ports, not the last one's: its `coi-port-*` devices
 * are replaced while it is stopped (they would bind their host ports again at start). Its host
 * sockets go too: this launch plugs in its own once it has booted (see attachHostSockets).
 */
async function replaceSessionDevices(
  req: AllocateRequest,
  container: string,
  ports: PublishedPort[],
): Promise<void> {
  const { value, etag } = await req.incus.instances.get(container);
  const stale = (name: string) => name.startsWith(PORT_DEVICE_PREFIX) || isHostSocketDevice(name);
  if (!Object.keys(value.devices).some(stale) && ports.length === 0) return;
  const devices = Object.fromEntries(
    Object.entries(value.devices).filter(([name]) => !stale(name)),
  );
  const { architecture, config, ephemeral, profiles, stateful, description } = value;
  const instance = { architecture, config, ephemeral, profiles, stateful, description };
  await (
    await req.incus.instances.put(
      container,
      { ...instance, devices: { ...devices, ...portDevices(ports) } },
      etag,
    )
  ).wait();
}

/**
 * A container of a `session_name` is one identity across checkouts: reused from another
 * checkout, its workspace mount (and the protected paths over it) move to this one. coi's own
 * idmapped mount keeps its mountpoint: the start mounts this checkout there.
 */
async function followWorkspace(req: AllocateRequest, container: string): Promise<void> {
  const { value } = await req.incus.instances.get(container);
  const previous = readCoiKeys(value.config).workspace ?? value.devices.workspace?.source;
  if (previous === undefined || previous === req.workspace) return;
  const moved: DeviceMap = {};
  for (const [name, device] of Object.entries(value.devices)) {
    const source = device.source;
    if (name !== 'workspace' && !name.startsWith('protect-')) continue;
    if (source === undefined || !(source === previous || source.startsWith(`${previous}/`)))
      continue;
    moved[name] = { ...device, source: `${req.workspace}${source.slice(previous.length)}` };
  }
  req.onStep?.(`Mounting ${req.workspace} as /workspace (it was ${previous})`);
  await req.incus.instances.patch(container, {
    devices: moved,
    config: coiKeysConfig({ workspace: req.workspace }),
  });
}

/**
 * A reused container takes the kernel surface the config asks for now, not the one it was made
 * with: turning Docker off or the syscalls down applies to it from this start.
 */
async function convergeKernelSurface(req: AllocateRequest, container: string): Promise<void> {
  await req.incus.instances.patch(container, {
    // "" removes the deny list when the config no longer asks for one.
    config: { 'security.syscalls.deny': '', ...kernelSurfaceKeys(req.loaded.config) },
  });
}

/**
 * Creates the container in the requested slot, or the lowest free one. Launches of one workspace
 * from this home pick their slots one at a time (see withLockFile), from a fresh list of names; a
 * name taken anyway (another home, user or host: Incus refuses a second instance of a name)
 * moves on to the next slot. `forSlot` readies
 * what depends on the slot (its host ports) before the container is launched.
 */
async function createInFreeSlot(
  req: AllocateRequest,
  { bridge, identity }: Pick<LaunchPlan, 'bridge' | 'identity'>,
  image: string,
  revert: Reverter,
  forSlot: (slot: number) => Promise<void>,
  spec: (name: string, slot: number, ip: string) => Promise<InstanceCreateOptions>,
): Promise<Placement> {
  const locks = join(req.coiDir, 'locks');
  const wait = () =>
    req.onStep?.('Waiting for another coi launch of this workspace to pick its slot...');
  const key = `${req.prefix}${workspaceHash(identity)}`;
  return withLockFile(locks, key, { onWait: wait }, async () => {
    const taken = new Set(await req.incus.instances.names());
    for (;;) {
      const slot = req.slot ?? lowestFreeSlot(identity, taken, req.prefix);
      const name = containerName(identity, slot, req.prefix);
      if (req.slot !== undefined && taken.has(name)) throw slotTaken(slot, name);
      if (req.slot === undefined) req.onStep?.(`Auto-allocated slot ${slot}`);
      await forSlot(slot);
      req.onStep?.(`Launching container ${name} from image ${image}...`);
      try {
        const ip = await withFreeAddress(req.incus, bridge, locks, name, async (free) => {
          await createStopped(req, await spec(name, slot, free));
          return free;
        });
        revert.add(async () => (await forceDelete(req.incus, name)).wait());
        return { container: name, slot, ip };
      } catch (err) {
        if (!(err instanceof IncusConflictError)) throw err;
        if (req.slot !== undefined) throw slotTaken(slot, name);
        taken.add(name);
      }
    }
  });
}

/**
 * Creates the container with an id range of its own; where the host has none left to give
 * (/etc/subuid, /etc/subgid), it shares the default one of unprivileged containers, as said.
 */
async function createStopped(
  req: Pick<AllocateRequest, 'incus' | 'onStep'>,
  spec: InstanceCreateOptions,
): Promise<void> {
  const create = async (options: InstanceCreateOptions) =>
    (await req.incus.instances.create({ ...options, start: false })).wait();
  try {
    await create(spec);
  } catch (err) {
    if (!(err instanceof IncusError && /not enough uid\/gid available/i.test(err.message)))
      throw err;
    req.onStep?.(
      `The host has no id range left for ${spec.name} to have its own (${err.message}); it shares ` +
        'the id map of other unprivileged containers: give root more ids in /etc/subuid and /etc/subgid',
    );
    await create({ ...spec, config: { ...spec.config, 'security.idmap.isolated': 'false' } });
  }
}

function slotTaken(slot: number, name: string): LaunchError {
  return new LaunchError(
    `slot ${slot} is taken by ${name}: attach with \`coi attach ${name}\`, pick another --slot, or leave out --slot for the lowest free one`,
  );
}
