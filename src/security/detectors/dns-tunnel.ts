import { TITLES, type Alert } from '../alert.js';
import { SlidingCounter } from './rate-window.js';

/**
 * DNS tunnelling heuristics on query names, for coi's resolver. One odd name (a long label, a
 * random-looking label, a very long name) is a warning; many odd names under one domain in a
 * window, or a flood of queries to one domain, is what a tunnel looks like.
 */

export interface DnsTunnelThresholds {
  /** Longest normal label; base32/hex payload labels run to the 63-byte limit. */
  maxLabelLength: number;
  maxNameLength: number;
  /** Shannon entropy (bits/char) from which a long hyphen-free label counts as random. */
  entropyBits: number;
  /** Labels shorter than this are never judged by entropy. */
  entropyMinLength: number;
  /** Queries per domain per window above which volume alone is alerted. */
  queriesPerWindow: number;
  /** Odd names per domain per window above which tunnelling is suspected. */
  suspiciousPerWindow: number;
  windowMs: number;
}

const DEFAULT_DNS_THRESHOLDS: DnsTunnelThresholds = {
  maxLabelLength: 30,
  maxNameLength: 100,
  entropyBits: 3.7,
  entropyMinLength: 20,
  queriesPerWindow: 100,
  suspiciousPerWindow: 10,
  windowMs: 60_000,
};

/** Why a name looks like a tunnel payload; empty when it does not. */
export function scoreQueryName(
  name: string,
  thresholds: DnsTunnelThresholds = DEFAULT_DNS_THRESHOLDS,
): string[] {
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  const reasons: string[] = [];
  if (fqdn.length > thresholds.maxNameLength)
    reasons.push(`name longer than ${thresholds.maxNameLength}`);
  const labels = subdomainLabels(fqdn);
  if (labels.some((l) => l.length > thresholds.maxLabelLength))
    reasons.push(`label longer than ${thresholds.maxLabelLength}`);
  const random = labels.find(
    (l) =>
      l.length >= thresholds.entropyMinLength &&
      !l.includes('-') &&
      shannonEntropy(l) >= thresholds.entropyBits,
  );
  if (random) reasons.push(`random-looking label (${shannonEntropy(random).toFixed(2)} bits/char)`);
  return reasons;
}

export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The domain a query belongs to, for per-domain counting: the last two labels, or three when the
 * second-level label is a short public suffix part (`co.uk`, `com.au`). No public-suffix list.
 */
export function parentDomain(name: string): string {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  const keep = labels.length >= 3 && /^(co|com|net|org|gov|edu|ac)$/.test(labels.at(-2)!) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

function subdomainLabels(fqdn: string): string[] {
  const labels = fqdn.split('.');
  return labels.slice(0, labels.length - parentDomain(fqdn).split('.').length);
}

export class DnsTunnelDetector {
  private readonly queries: SlidingCounter;
  private readonly suspicious: SlidingCounter;

  constructor(private readonly thresholds: DnsTunnelThresholds = DEFAULT_DNS_THRESHOLDS) {
    this.queries = new SlidingCounter(thresholds.windowMs);
    this.suspicious = new SlidingCounter(thresholds.windowMs);
  }

  /** One query as seen by the resolver; returns the alerts it triggers (usually none). */
  observe(name: string, nowMs: number): Alert[] {
    const t = this.thresholds;
    const domain = parentDomain(name);
    const alerts: Alert[] = [];
    const windowSec = t.windowMs / 1000;
    if (this.queries.add(domain, nowMs) === t.queriesPerWindow + 1)
      alerts.push(
        dnsAlert(
          'warning',
          TITLES.dnsVolume,
          `More than ${t.queriesPerWindow} queries for ${domain} in ${windowSec} s`,
          {
            domain,
            reasons: [`over ${t.queriesPerWindow} queries per ${windowSec} s`],
            count: t.queriesPerWindow + 1,
            window_sec: windowSec,
          },
        ),
      );
    const reasons = scoreQueryName(name, t);
    if (reasons.length === 0) return alerts;
    const odd = this.suspicious.add(domain, nowMs);
    if (odd === 1)
      alerts.push(
        dnsAlert('warning', TITLES.dnsSuspicious, `Query for ${name}: ${reasons.join(', ')}`, {
          domain,
          query: name,
          reasons,
        }),
      );
    if (odd === t.suspiciousPerWindow + 1)
      alerts.push(
        dnsAlert(
          'high',
          TITLES.dnsTunnel,
          `More than ${t.suspiciousPerWindow} encoded-looking names under ${domain} in ${windowSec} s`,
          { domain, query: name, reasons, count: odd, window_sec: windowSec },
        ),
      );
    return alerts;
  }
}

function dnsAlert(
  level: Alert['level'],
  title: string,
  description: string,
  dns: { domain: string; query?: string; reasons: string[]; count?: number; window_sec?: number },
): Alert {
  return { level, category: 'network', title, description, evidence: { dns } };
}
