/** Applying coi's nftables rules for real: see `NetworkGuard`. */
export { NetworkGuard, type GuardedContainer } from './guard.js';
export { instanceAddresses, pickFree, withFreeAddress } from './addresses.js';
export { ensureBridgeNetfilter } from './bridge-netfilter.js';
export { applyBatch, listCoiTable } from './nft-run.js';
export { applyHosts } from './hosts.js';
