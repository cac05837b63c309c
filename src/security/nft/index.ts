export { renderBase, renderTableRemoval } from './base.js';
export {
  SUSPICIOUS_PORTS,
  renderContainer,
  renderGate,
  renderLearned,
  renderRemoval,
  type LearnedAddress,
} from './container.js';
export { checkHostNetwork, type HostNetwork } from './host.js';
export { LOG_KINDS, logPrefix, splitLogPrefix, type LogKind } from './log-prefix.js';
export { TABLE, containerChain, containerSet } from './names.js';
export {
  EMPTY_ALLOWLIST,
  parseAllowlist,
  type Allowlist,
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
