import { z } from 'zod';
import {
  ALERT_CATEGORIES,
  ALERT_LEVELS,
  type AlertCategory,
  type AlertLevel,
  type Evidence,
} from '../alert.js';
import type { ResponseAction } from '../response/policy.js';

/** One line of ~/.coi/audit/<container>.jsonl. */
export type AuditRecord = {
  id: string;
  /** RFC 3339, UTC. */
  timestamp: string;
  container: string;
  workspace: string;
  level: AlertLevel;
  category: AlertCategory;
  title: string;
  description: string;
  evidence: Evidence;
  action: ResponseAction;
  /** From the event (packet logged, process seen) to the alert. */
  detection_latency_ms: number;
  /** A kill with forensics on: the copy's name, or `failed: <why>` (the kill went on regardless). */
  forensic_copy?: string;
  /** Steps of the response after containment that failed (`<step>: <why>`). */
  response_errors?: string[];
};

const EVIDENCE_KINDS = [
  'process',
  'network',
  'dns',
  'filesystem',
  'sensitive_file',
  'process_count',
  'disk',
] as const;

const recordSchema = z.object({
  id: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
  container: z.string().min(1),
  workspace: z.string(),
  level: z.enum(ALERT_LEVELS as [AlertLevel, ...AlertLevel[]]),
  category: z.enum(ALERT_CATEGORIES as [AlertCategory, ...AlertCategory[]]),
  title: z.string(),
  description: z.string(),
  evidence: z.record(z.string(), z.record(z.string(), z.unknown())).refine(
    (e) => {
      const keys = Object.keys(e);
      return keys.length === 1 && (EVIDENCE_KINDS as readonly string[]).includes(keys[0]!);
    },
    { message: `exactly one of ${EVIDENCE_KINDS.join(', ')}` },
  ),
  action: z.enum(['logged', 'alerted', 'paused', 'killed', 'deduplicated']),
  detection_latency_ms: z.number().min(0),
  forensic_copy: z.string().optional(),
  response_errors: z.array(z.string()).optional(),
});

/** A line as written: one JSON object and a newline, fields in a fixed order. */
export function serializeRecord(record: AuditRecord): string {
  const ordered: AuditRecord = {
    id: record.id,
    timestamp: record.timestamp,
    container: record.container,
    workspace: record.workspace,
    level: record.level,
    category: record.category,
    title: record.title,
    description: record.description,
    evidence: record.evidence,
    action: record.action,
    detection_latency_ms: record.detection_latency_ms,
    ...(record.forensic_copy === undefined ? {} : { forensic_copy: record.forensic_copy }),
    ...(record.response_errors?.length ? { response_errors: record.response_errors } : {}),
  };
  return `${JSON.stringify(ordered)}\n`;
}

/** Parses one line; throws with what is wrong (the caller adds file and line number). */
export function parseRecord(line: string): AuditRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  const result = recordSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data as AuditRecord;
}
