import { endianness } from 'node:os';

/**
 * Rows of /proc/<pid>/net/{tcp,tcp6,udp,udp6}. Addresses there are hex words in the kernel's byte
 * order: `0100007F:0CEA` is 127.0.0.1:3306 on a little-endian machine.
 */

export type SocketState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'NEW_SYN_RECV'
  | 'UNKNOWN';

const STATES: SocketState[] = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];

export interface Endpoint {
  /** Dotted IPv4, or IPv6 (IPv4-mapped addresses are given as IPv4). */
  address: string;
  port: number;
}

export interface ProcNetSocket {
  local: Endpoint;
  remote: Endpoint;
  state: SocketState;
  uid: number;
  inode: number;
}

/** Parses a whole file; the header and malformed rows are skipped. */
export function parseProcNet(text: string, littleEndian = endianness() === 'LE'): ProcNetSocket[] {
  const sockets: ProcNetSocket[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (!/^\d+:$/.test(cols[0] ?? '') || cols.length < 10) continue;
    const local = endpoint(cols[1]!, littleEndian);
    const remote = endpoint(cols[2]!, littleEndian);
    if (!local || !remote) continue;
    sockets.push({
      local,
      remote,
      state: STATES[parseInt(cols[3]!, 16)] ?? 'UNKNOWN',
      uid: Number(cols[7]),
      inode: Number(cols[9]),
    });
  }
  return sockets;
}

/**
 * The socket inodes of /proc/<pid>/net/unix (`Num RefCount Protocol Flags Type St Inode Path`):
 * every unix socket of the network namespace, bound or not, socketpairs included.
 */
export function parseProcNetUnixInodes(text: string): Set<number> {
  const inodes = new Set<number>();
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (!/^[0-9a-f]+:$/i.test(cols[0] ?? '') || cols.length < 7) continue;
    const inode = Number(cols[6]);
    if (Number.isInteger(inode)) inodes.add(inode);
  }
  return inodes;
}

function endpoint(text: string, littleEndian: boolean): Endpoint | undefined {
  const [hex = '', portHex = ''] = text.split(':');
  if (!/^[0-9A-Fa-f]+$/.test(portHex)) return undefined;
  const port = parseInt(portHex, 16);
  if (hex.length === 8) return { address: ipv4(hex, littleEndian), port };
  if (hex.length === 32) return { address: ipv6(hex, littleEndian), port };
  return undefined;
}

/** The bytes of one 32-bit word in network order. */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
}

function ipv4(hex: string, littleEndian: boolean): string {
  return wordBytes(hex, littleEndian).join('.');
}

function ipv6(hex: string, littleEndian: boolean): string {
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8), littleEndian));
  const mapped =
    bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return compressIpv6(groups);
}

/** RFC 5952: the longest run (≥ 2) of zero groups becomes `::`. */
function compressIpv6(groups: string[]): string {
  let best = { at: -1, len: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j += 1;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  if (best.len < 2) return groups.join(':');
  const head = groups.slice(0, best.at).join(':');
  const tail = groups.slice(best.at + best.len).join(':');
  return `${head}::${tail}`;
}
