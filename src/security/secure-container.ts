import type { IncusApi } from '../incus/index.js';
import type { Reverter } from '../shared/revert.js';
import { ensureMonitorDaemon } from './monitor/ensure.js';
import type { NetworkGuard } from './network/guard.js';
import type { NetworkPolicy } from './nft/index.js';
import { plantCanaries } from './sources/canaries.js';

export interface SecureContainerInput {
  /** The guard of the container's bridge (its base table in place). */
  guard: NetworkGuard;
  container: string;
  /** The address pinned on its NIC, which its rules are keyed on. */
  ip: string;
  policy: NetworkPolicy;
  /** Plant the canaries in this home, owned by `uid` (monitoring on, a fresh container). */
  canaries?: { home: string; uid: number };
  /**
   * Make sure the monitor daemon of this coi home runs: it watches every container with the
   * prefix, serves allowlist DNS and supervises the sessions.
   */
  monitor?: { coiDir: string; prefix: string };
}

/**
 * Everything security does to a created, still stopped container before it may start: gate it,
 * put its policy in, plant the canaries (so the monitor's watch finds them when it attaches), and
 * have the monitor daemon running. The release of its rules is registered on `revert` first:
 * releasing is safe when only part of them went in.
 */
export async function secureContainer(
  incus: IncusApi,
  input: SecureContainerInput,
  revert: Reverter,
): Promise<void> {
  const { guard, container, ip } = input;
  revert.add(() => guard.release(ip));
  await guard.prepare(container, ip, input.policy);
  await guard.apply(ip);
  if (input.canaries)
    await plantCanaries(incus, container, input.canaries.home, input.canaries.uid);
  if (input.monitor) await ensureMonitorDaemon(input.monitor);
}
