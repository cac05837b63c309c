import { PROC, readText } from '../../security/sources/proc-read.js';

/** Bytes received and sent over a network namespace's interfaces, loopback left out. */
export interface NetCounters {
  rxBytes: number;
  txBytes: number;
}

/**
 * `/proc/<pid>/net/dev`: two header lines, then `  eth0: <rx bytes> <7 more rx> <tx bytes> …`.
 */
export function parseNetDev(text: string): NetCounters {
  const total = { rxBytes: 0, txBytes: 0 };
  for (const line of text.split('\n')) {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!match || match[1] === 'lo') continue;
    const fields = match[2]!.trim().split(/\s+/).map(Number);
    if (fields.length < 16 || fields.some((n) => !Number.isFinite(n))) continue;
    total.rxBytes += fields[0]!;
    total.txBytes += fields[8]!;
  }
  return total;
}

/** The counters of the network namespace `pid` lives in, read from the host's /proc. */
export function readNetCounters(pid: number, proc = PROC): NetCounters | undefined {
  const text = readText(`${proc}/${pid}/net/dev`);
  return text === undefined ? undefined : parseNetDev(text);
}
