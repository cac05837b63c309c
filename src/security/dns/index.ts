/** coi's allowlist DNS resolver: see `DnsResolver`. */
export {
  DEFAULT_RESOLVER_PORT,
  MIN_LEARNED_SECONDS,
  DnsResolver,
  type DnsAlertEvent,
  type DnsResolverOptions,
  type ResolverPolicy,
} from './resolver.js';
export { hostUpstream, type Upstream } from './upstream.js';
export { matchAllowlist } from './allowlist-match.js';
