/**
 * What every detector produces. Levels, categories and titles follow the Go coi so users of either
 * recognise them in the TUI and in ~/.coi/audit/*.jsonl. Evidence keys are snake_case because they
 * are written as-is to the audit file.
 */

export type AlertLevel = 'info' | 'warning' | 'high' | 'critical';

export const ALERT_LEVELS: readonly AlertLevel[] = ['info', 'warning', 'high', 'critical'];

export function levelRank(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

export type AlertCategory =
  'process' | 'network' | 'filesystem' | 'environment' | 'credential_access' | 'persistence';

export const ALERT_CATEGORIES: readonly AlertCategory[] = [
  'process',
  'network',
  'filesystem',
  'environment',
  'credential_access',
  'persistence',
];

export type ProcessEvidence = {
  pid?: number;
  command: string;
  /** The rule that matched, e.g. `nc-exec` or `stdio-socket`. */
  pattern: string;
  indicators: string[];
  class?: string;
};

export type NetworkEvidence = {
  container_ip: string;
  protocol: string;
  src_ip: string;
  dst_ip: string;
  src_port?: number;
  dst_port?: number;
  reason: string;
};

export type DnsEvidence = {
  domain: string;
  query?: string;
  reasons: string[];
  count?: number;
  window_sec?: number;
};

export type IoEvidence = {
  direction: 'read' | 'write';
  bytes_mb: number;
  rate_mb_per_sec: number;
  threshold_mb: number;
  rate_threshold_mb_per_sec: number;
  duration_sec: number;
};

/** The container's process count from its cgroup, against the count and growth thresholds. */
export type ProcessCountEvidence = {
  count: number;
  /** Net processes added per second since the previous sample. */
  growth_per_sec: number;
  count_threshold: number;
  growth_threshold_per_sec: number;
};

/** A filesystem of the container (its root disk or /tmp) nearly full, seen from the host. */
export type DiskEvidence = {
  /** The mount point inside the container. */
  path: string;
  used_percent: number;
  free_mb: number;
  threshold_percent: number;
};

/** A watched file (a credential canary) was touched. The kernel does not say by whom. */
export type SensitiveFileEvidence = {
  /** The path inside the container. */
  path: string;
  /** The inotify events seen, e.g. `OPEN`, `ACCESS`. */
  access: string;
};

/** Exactly one kind of evidence per alert, keyed by its kind (as in the Go coi's audit records). */
export type Evidence =
  | { process: ProcessEvidence }
  | { network: NetworkEvidence }
  | { dns: DnsEvidence }
  | { filesystem: IoEvidence }
  | { sensitive_file: SensitiveFileEvidence }
  | { process_count: ProcessCountEvidence }
  | { disk: DiskEvidence };

export type Alert = {
  level: AlertLevel;
  category: AlertCategory;
  title: string;
  description: string;
  evidence: Evidence;
};

/** Titles shared by several detectors. */
export const TITLES = {
  reverseShell: 'Reverse shell detected',
  envScan: 'Environment variable scanning detected',
  credentialSearch: 'Credential file search detected',
  metadata: 'Metadata endpoint access',
  suspiciousPort: 'Connection to suspicious port',
  privateNetwork: 'Connection to private network',
  allowlistViolation: 'Unauthorized connection attempt',
  dnsServer: 'DNS query to non-standard server',
  dnsVolume: 'High DNS query volume',
  dnsSuspicious: 'Suspicious DNS query',
  dnsTunnel: 'Possible DNS tunnelling',
  dnsRefused: 'DNS query for a name not on the allowlist',
  proxyNameRefused: 'Connection to an allowed address for a name not on the allowlist',
  proxyNoName: 'Connection to an allowed address without a name refused',
  proxyBlocked: 'Egress proxy refused a destination the network mode blocks',
  proxyInjected: 'Credential injected by the egress proxy',
  proxyInjectFailed: 'Credential injection failed',
  proxyLoginRefreshed: 'Host login renewed by the egress proxy',
  proxyLoginRefreshFailed: 'Host login could not be renewed',
  largeRead: 'Large workspace read detected',
  largeWrite: 'Large workspace write detected',
  canary: 'Credential canary accessed',
  processCount: 'Process count spike detected',
  spawnRate: 'Process spawn rate spike detected',
  rootEscalation: 'Process privilege escalation to root detected',
  sensitiveRead: 'Sensitive file read',
  sensitiveWrite: 'Sensitive file modified',
} as const;

/** The part of the evidence that tells two alerts with the same title apart (for deduplication). */
export function evidenceSummary(evidence: Evidence): string {
  if ('process' in evidence) {
    const p = evidence.process;
    return `${p.pattern}:${p.pid ?? ''}:${p.command}`;
  }
  if ('network' in evidence) {
    const n = evidence.network;
    return `${n.container_ip}>${n.dst_ip}:${n.dst_port ?? ''}/${n.protocol}`;
  }
  if ('dns' in evidence) return evidence.dns.domain;
  if ('sensitive_file' in evidence) return evidence.sensitive_file.path;
  if ('process_count' in evidence) return 'process_count';
  if ('disk' in evidence) return evidence.disk.path;
  return evidence.filesystem.direction;
}
