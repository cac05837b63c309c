/**
 * coi's nftables ruleset (`table inet coi`), rendered as text for `nft -f -`; every batch is one
 * atomic transaction and safe to apply again. Order of use:
 *   1. `renderBase` when the daemon starts (keeps existing containers), then `planReconcile` on
 *      `nft -j list table inet coi` to drop containers that no longer run;
 *   2. `renderGate` before a container starts (its IPv4 pinned on the NIC), so nothing leaves it
 *      until its rules are in;
 *   3. `renderContainer` once it has its address (and again when its policy changes);
 *   4. `renderLearned` from coi's DNS resolver before it answers an allowlisted name;
 *   5. `renderHosts` when a running container's named hosts change (`coi hosts add|remove`);
 *   6. `renderRemoval` when the container is deleted.
 * Never touches Incus's tables or the test guard table.
 */
export { renderBase, renderTableRemoval } from './base.js';
export {
  SUSPICIOUS_PORTS,
  renderContainer,
  renderGate,
  renderLearned,
  renderUnlearned,
  renderRemoval,
  type LearnedAddress,
} from './container.js';
export { checkHostNetwork, type HostNetwork } from './host.js';
export { renderHosts } from './hosts.js';
export { LOG_KINDS, logPrefix, splitLogPrefix, type LogKind } from './log-prefix.js';
export { TABLE, containerChain, containerSet } from './names.js';
export {
  EMPTY_ALLOWLIST,
  parseAllowlist,
  type Allowlist,
  type HostEntry,
  type LogOptions,
  type NetworkMode,
  type NetworkPolicy,
} from './policy.js';
export {
  parseTableListing,
  planReconcile,
  type ReconcilePlan,
  type TableContents,
} from './reconcile.js';
