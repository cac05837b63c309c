import { join } from 'node:path';
import { IncusConflictError } from '../../../incus/errors.js';
import type { DeviceMap, InstanceCreateOptions } from '../../../incus/instance-types.js';
import { coiKeysConfig, readCoiKeys } from '../../../shared/instance-keys.js';
import { withFreeAddress } from '../../../security/network/index.js';
import { withLockFile } from '../../../shared/lock-file.js';
import { containerName, lowestFreeSlot, workspaceHash } from '../../../shared/naming.js';
import type { Reverter } from '../../../shared/revert.js';
import type { LaunchRequest } from '../launch.js';
import { buildLaunchSpec } from '../launch-spec.js';
import {
  idmappedMountpoint,
  makeMountpoint,
  pruneMountpoints,
  removeIdmappedMounts,
} from './idmapped-workspace.js';
import type { WorkspaceMounts } from '../overlay-devices.js';
import { LaunchError } from './launch-error.js';
import type { LaunchPlan } from './plan.js';
import { forceDelete } from '../../container/force-delete.js';

/** The container a session runs in, its slot and the address pinned on its NIC. */
export interface Placement {
  container: string;
  slot: number;
  ip: string;
}

type AllocateRequest = Pick<
  LaunchRequest,
  'incus' | 'loaded' | 'workspace' | 'slot' | 'coiDir' | 'prefix' | 'onStep'
>;

/**
 * The reused container as it is, or a new one created stopped in a free slot with a free address
 * pinned, so its rules can go in before it ever runs. A new container's deletion is registered on
 * `revert` as soon as it exists.
 */
export async function allocate(
  req: AllocateRequest,
  plan: LaunchPlan,
  mounts: WorkspaceMounts,
  revert: Reverter,
): Promise<Placement> {
  const { target } = plan;
  if (target.kind === 'reuse') {
    req.onStep?.(`Reusing stopped persistent container on slot ${target.slot}`);
    await followWorkspace(req, target.container);
    return { container: target.container, slot: target.slot, ip: target.ip };
  }
  if (target.note) req.onStep?.(target.note);
  const idmapped = plan.mapping.kind === 'owner-to-code';
  if (idmapped) await pruneMountpoints(new Set(await req.incus.instances.names()));
  const workspaceSource = async (name: string) => {
    if (!idmapped) return req.workspace;
    const mountpoint = idmappedMountpoint(name);
    await makeMountpoint(mountpoint);
    revert.add(() => removeIdmappedMounts(mountpoint));
    return mountpoint;
  };
  return createInFreeSlot(req, plan, target.image, revert, async (name, slot, ipv4Address) =>
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
      workspaceSource: await workspaceSource(name),
      hostUid: plan.owner.uid,
      codeUid: plan.codeUid,
      ...mounts,
      ...(plan.sshAgentSocket ? { sshAgentSocket: plan.sshAgentSocket } : {}),
    }),
  );
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
 * Creates the container in the requested slot, or the lowest free one. Launches of one workspace
 * on this host pick their slots one at a time (see withLockFile), from a fresh list of names; a
 * name taken anyway (another host, another user) moves on to the next slot.
 */
async function createInFreeSlot(
  req: AllocateRequest,
  { bridge, identity }: Pick<LaunchPlan, 'bridge' | 'identity'>,
  image: string,
  revert: Reverter,
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
      req.onStep?.(`Launching container ${name} from image ${image}...`);
      try {
        const ip = await withFreeAddress(req.incus, bridge, locks, async (free) => {
          await (
            await req.incus.instances.create({ ...(await spec(name, slot, free)), start: false })
          ).wait();
          revert.add(async () => (await forceDelete(req.incus, name)).wait());
          return free;
        });
        return { container: name, slot, ip };
      } catch (err) {
        if (!(err instanceof IncusConflictError)) throw err;
        if (req.slot !== undefined) throw slotTaken(slot, name);
        taken.add(name);
      }
    }
  });
}

function slotTaken(slot: number, name: string): LaunchError {
  return new LaunchError(
    `slot ${slot} is taken by ${name}: attach with \`coi attach ${name}\`, pick another --slot, or leave out --slot for the lowest free one`,
  );
}
