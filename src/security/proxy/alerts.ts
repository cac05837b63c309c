import { TITLES, type Alert } from '../alert.js';
import type { ProxyRequest, ProxyVerdict } from './decide.js';

export interface RefusedConnection {
  container: string;
  /** The container's address. */
  ip: string;
  sourcePort: number;
  /** The destination it connected to. */
  address: string;
  request: ProxyRequest;
  verdict: Extract<ProxyVerdict, { allow: false }>;
}

/** A connection the proxy let through, by the name it carried. */
export type AllowedConnection = Pick<RefusedConnection, 'container' | 'ip' | 'address' | 'request'>;

/** The alert for a refusal the user should hear of; undefined for unreadable first bytes. */
export function refusalAlert(r: RefusedConnection): Alert | undefined {
  if (r.verdict.kind === 'unreadable') return undefined;
  const mismatch = r.verdict.kind === 'name-not-allowed';
  return {
    level: mismatch ? 'high' : 'warning',
    category: 'network',
    title: mismatch ? TITLES.proxyNameRefused : TITLES.proxyNoName,
    description:
      `Container ${r.container} connected to ${r.address}:${r.request.port}, an address its ` +
      `allowlist admits, but ${r.verdict.reason}; the egress proxy refused it`,
    evidence: {
      network: {
        container_ip: r.ip,
        protocol: r.request.protocol,
        src_ip: r.ip,
        dst_ip: r.address,
        src_port: r.sourcePort,
        dst_port: r.request.port,
        reason: r.verdict.reason,
      },
    },
  };
}
