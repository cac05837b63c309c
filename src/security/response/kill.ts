import { IncusAlreadyFrozenError, IncusNotFoundError, type IncusApi } from '../../incus/index.js';
import { coiKeysConfig } from '../../shared/instance-keys.js';
import { parseContainerName } from '../../shared/naming.js';
import { cgroupFreezeSettled, freezeCgroup } from './freeze-cgroup.js';
import { forensicCopyName, parseForensicCopyName, planForensicPrune } from './policy.js';

export interface KillOptions {
  incus: Pick<IncusApi, 'instances'>;
  prefix: string;
  forensicsOnKill: boolean;
  /** Removes the container's network rules (NetworkGuard.release). */
  releaseNetwork?: (container: string) => Promise<void>;
  /** Called as the processes are frozen, by the cgroup write and by Incus. */
  onMark?: (mark: 'cgroup-frozen' | 'incus-frozen') => void;
}

export interface KillOutcome {
  /** The container no longer exists. */
  gone: boolean;
  /** Its processes were stopped (cgroup or Incus freeze). */
  contained: boolean;
  /** The forensic copy's name, or `failed: <why>`; undefined when forensics are off. */
  forensicCopy?: string;
  /** `<step>: <why>` for each step after containment that failed. */
  errors: string[];
}

/**
 * Kills a container as a threat, in the order that keeps it correct while a session ends it
 * concurrently: containment first (cgroup freeze; then, together, the `user.coi.threat_kill`
 * marker that tells the session path to leave the deletion to us and Incus's freeze; then the
 * network rules removed), then the evidence (a copy taken while frozen), then the deletion. No
 * step's failure stops the later ones; a container found gone midway (deleted by someone else)
 * ends the sequence.
 */
export async function killContainer(
  opts: KillOptions,
  container: string,
  reason: string,
): Promise<KillOutcome> {
  const { instances } = opts.incus;
  const outcome: KillOutcome = { gone: false, contained: freezeCgroup(container), errors: [] };
  if (outcome.contained) opts.onMark?.('cgroup-frozen');
  const step = async (name: string, work: () => Promise<unknown>): Promise<boolean> => {
    if (outcome.gone) return false;
    try {
      await work();
      return true;
    } catch (err) {
      if (err instanceof IncusNotFoundError) outcome.gone = true;
      else outcome.errors.push(`${name}: ${(err as Error).message}`);
      return false;
    }
  };
  // Together: Incus's freeze need not wait for the marker's round trip (it is sent first all the
  // same, and both are done before anything below may delete the container).
  await Promise.all([
    step('mark', () =>
      instances.patch(container, { config: coiKeysConfig({ threatKill: reason }) }),
    ),
    step('freeze', async () => {
      if (outcome.contained) await cgroupFreezeSettled(container);
      await freeze(opts.incus, container);
    }).then((frozen) => {
      if (!frozen) return;
      outcome.contained = true;
      opts.onMark?.('incus-frozen');
    }),
  ]);
  if (opts.releaseNetwork) await step('network', () => opts.releaseNetwork!(container));
  if (opts.forensicsOnKill && !outcome.gone)
    outcome.forensicCopy = await evidence(opts, container, outcome);
  await step('stop', async () => {
    const { value } = await instances.get(container);
    if (value.status !== 'Stopped') await (await instances.stop(container, { force: true })).wait();
  });
  await step('delete', async () => (await instances.delete(container)).wait());
  if (!outcome.gone) outcome.gone = !(await exists(opts.incus, container));
  return outcome;
}

/** The forensic copy's name, or `failed: <why>`: a failed copy never stops the kill. */
async function evidence(
  opts: KillOptions,
  container: string,
  outcome: KillOutcome,
): Promise<string> {
  try {
    return await keepForensicCopy(opts, container);
  } catch (err) {
    if (!(err instanceof IncusNotFoundError)) return `failed: ${(err as Error).message}`;
    outcome.gone = true;
    return 'failed: the container was deleted before it could be copied';
  }
}

/** Freezes through Incus; one frozen already is fine. */
export async function freeze(incus: Pick<IncusApi, 'instances'>, container: string): Promise<void> {
  try {
    await (await incus.instances.freeze(container)).wait();
  } catch (err) {
    if (!(err instanceof IncusAlreadyFrozenError)) throw err;
  }
}

async function exists(incus: Pick<IncusApi, 'instances'>, container: string): Promise<boolean> {
  try {
    await incus.instances.get(container);
    return true;
  } catch (err) {
    if (err instanceof IncusNotFoundError) return false;
    // Incus unreachable: we cannot tell, so we do not claim it is gone.
    return true;
  }
}

/** Copies the (frozen) container, first pruning the workspace's copies to at most 3; its name. */
async function keepForensicCopy(opts: KillOptions, container: string): Promise<string> {
  const parsed = parseContainerName(container, opts.prefix);
  if (!parsed) throw new Error(`${container} is not a coi container name`);
  const { instances } = opts.incus;
  const copies = (await instances.names()).flatMap((name) => {
    const copy = parseForensicCopyName(name, opts.prefix);
    return copy ? [{ name, workspace: copy.hash, createdAtMs: copy.createdAtMs }] : [];
  });
  for (const name of planForensicPrune(copies, parsed.hash)) await deleteCopy(opts.incus, name);
  const name = forensicCopyName(opts.prefix, parsed, Date.now());
  await (
    await instances.copy({
      name,
      source: container,
      instanceOnly: true,
      description: `coi forensic copy of ${container}`,
    })
  ).wait();
  await unpinAddresses(opts.incus, name);
  return name;
}

/**
 * Drops the copied NIC's pinned IPv4: the address belongs to the killed container and is free
 * again once it is gone (nor may the copy's keep its network rules alive).
 */
async function unpinAddresses(incus: Pick<IncusApi, 'instances'>, name: string): Promise<void> {
  const { value } = await incus.instances.get(name);
  const devices = Object.fromEntries(
    Object.entries(value.devices)
      .filter(([, d]) => d.type === 'nic' && d['ipv4.address'])
      .map(([key, { ['ipv4.address']: _pinned, ...rest }]) => [key, rest]),
  );
  if (Object.keys(devices).length > 0) await incus.instances.patch(name, { devices });
}

/** Deletes an old forensic copy; one started by hand (to inspect it) is force-stopped first. */
async function deleteCopy(incus: Pick<IncusApi, 'instances'>, name: string): Promise<void> {
  const { instances } = incus;
  const { value } = await instances.get(name);
  if (value.status !== 'Stopped') await (await instances.stop(name, { force: true })).wait();
  await (await instances.delete(name)).wait();
}
