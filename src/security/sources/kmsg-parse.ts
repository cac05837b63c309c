import { splitLogPrefix, type LogKind } from '../nft/log-prefix.js';

/**
 * Parsers for /dev/kmsg. Each read() of /dev/kmsg returns one record:
 * `pri,seq,usec,flags[,…];message\n` followed by optional ` KEY=value\n` dictionary lines
 * (Documentation/ABI/testing/dev-kmsg). Unprintable bytes in the message arrive as `\xNN`.
 */

export interface KmsgRecord {
  /** syslog level 0 (emerg) … 7 (debug). */
  level: number;
  facility: number;
  seq: number;
  /** Microseconds since boot (CLOCK_MONOTONIC); add the boot time for wall-clock time. */
  usec: number;
  /** `-` normally; `c` or `+` for pieces of a line the kernel printed in parts. */
  flags: string;
  message: string;
  dict: Record<string, string>;
}

/** One record, or undefined when the text is not a kmsg record. */
export function parseKmsgRecord(text: string): KmsgRecord | undefined {
  const [head = '', ...dictLines] = text.replace(/\n$/, '').split('\n');
  const semi = head.indexOf(';');
  if (semi < 0) return undefined;
  const [pri, seq, usec, flags = '-'] = head.slice(0, semi).split(',');
  const [priority, sequence, micros] = [pri, seq, usec].map((p) =>
    p !== undefined && /^\d+$/.test(p) ? Number(p) : NaN,
  );
  if (priority === undefined || sequence === undefined || micros === undefined) return undefined;
  if (![priority, sequence, micros].every(Number.isSafeInteger)) return undefined;
  const dict: Record<string, string> = {};
  for (const line of dictLines) {
    const eq = line.indexOf('=');
    if (line.startsWith(' ') && eq > 0) dict[line.slice(1, eq)] = unescape(line.slice(eq + 1));
  }
  return {
    level: priority & 7,
    facility: priority >> 3,
    seq: sequence,
    usec: micros,
    flags,
    message: unescape(head.slice(semi + 1)),
    dict,
  };
}

function unescape(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** A packet logged by one of coi's nft log rules. */
export interface NftLogEvent {
  kind: LogKind;
  /** The container the rule belongs to (from the log prefix). */
  containerIp: string;
  /** Input and output interface; `out` is empty for packets to the host itself. */
  in: string;
  out: string;
  src: string;
  dst: string;
  /** `TCP`, `UDP`, `ICMP`, or the protocol number as the kernel printed it. */
  proto: string;
  spt?: number;
  dpt?: number;
  /** IP packet length. */
  len?: number;
  /** Bare words the kernel printed, e.g. `SYN`, `DF`. */
  flags: string[];
  /** Every `KEY=value` field as printed (first occurrence wins). */
  fields: Record<string, string>;
}

/**
 * The netfilter log payload of a kernel message: `<prefix>IN=… OUT=… SRC=… DST=… PROTO=…`.
 * Undefined for messages that are not from coi's rules.
 */
export function parseNftLog(message: string): NftLogEvent | undefined {
  const split = splitLogPrefix(message);
  if (!split) return undefined;
  const fields: Record<string, string> = {};
  const flags: string[] = [];
  for (const token of split.rest.trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (token) flags.push(token);
      continue;
    }
    const key = token.slice(0, eq);
    fields[key] ??= token.slice(eq + 1);
  }
  if (fields.IN === undefined || !fields.SRC || !fields.DST) return undefined;
  return {
    kind: split.kind,
    containerIp: split.containerIp,
    in: fields.IN,
    out: fields.OUT ?? '',
    src: fields.SRC,
    dst: fields.DST,
    proto: fields.PROTO ?? '',
    spt: integer(fields.SPT),
    dpt: integer(fields.DPT),
    len: integer(fields.LEN),
    flags,
    fields,
  };
}

function integer(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
