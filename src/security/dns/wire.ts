/**
 * The parts of the DNS wire format (RFC 1035) coi's resolver needs: read a query, read the A
 * records and TTLs of an answer, write a refusal, and rewrite IDs and TTLs in place.
 */

export const TYPE_A = 1;
export const CLASS_IN = 1;

export const RCODE = { noError: 0, formErr: 1, servFail: 2, nxDomain: 3, notImp: 4, refused: 5 };

const HEADER = 12;
const MAX_POINTERS = 64;

export interface Question {
  /** As asked, without the trailing dot. */
  name: string;
  type: number;
  class: number;
}

export interface Message {
  id: number;
  flags: number;
  opcode: number;
  response: boolean;
  truncated: boolean;
  rcode: number;
  questions: Question[];
  /** Answer-section records (the authority and additional sections are not read). */
  answers: ResourceRecord[];
}

export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** Byte offset of the 32-bit TTL, for rewriting it in a cached copy. */
  ttlOffset: number;
  /** Dotted IPv4 for A records. */
  address?: string;
}

export class DnsFormatError extends Error {}

/** Parses the header, the questions and the answer section. Throws DnsFormatError when malformed. */
export function parseMessage(buf: Buffer): Message {
  if (buf.length < HEADER) throw new DnsFormatError(`message of ${buf.length} bytes has no header`);
  const flags = buf.readUInt16BE(2);
  const qdcount = buf.readUInt16BE(4);
  const ancount = buf.readUInt16BE(6);
  let offset = HEADER;
  const questions: Question[] = [];
  for (let i = 0; i < qdcount; i += 1) {
    const [name, next] = readName(buf, offset);
    need(buf, next + 4);
    questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) });
    offset = next + 4;
  }
  const answers: ResourceRecord[] = [];
  for (let i = 0; i < ancount; i += 1) {
    const [name, next] = readName(buf, offset);
    need(buf, next + 10);
    const type = buf.readUInt16BE(next);
    const rdlength = buf.readUInt16BE(next + 8);
    const rdata = next + 10;
    need(buf, rdata + rdlength);
    const record: ResourceRecord = {
      name,
      type,
      class: buf.readUInt16BE(next + 2),
      ttl: buf.readUInt32BE(next + 4),
      ttlOffset: next + 4,
    };
    if (type === TYPE_A && rdlength === 4)
      record.address = [...buf.subarray(rdata, rdata + 4)].join('.');
    answers.push(record);
    offset = rdata + rdlength;
  }
  return {
    id: buf.readUInt16BE(0),
    flags,
    opcode: (flags >> 11) & 0xf,
    response: (flags & 0x8000) !== 0,
    truncated: (flags & 0x0200) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
  };
}

/** A reply to `query` carrying only its first question and `rcode` (REFUSED, FORMERR, …). */
export function errorReply(query: Buffer, rcode: number): Buffer {
  const id = query.length >= 2 ? query.readUInt16BE(0) : 0;
  const queryFlags = query.length >= 4 ? query.readUInt16BE(2) : 0;
  let question: Buffer = Buffer.alloc(0);
  try {
    const q = parseMessage(query).questions[0];
    if (q) question = encodeQuestion(q);
  } catch {
    // malformed: answer with the header alone
  }
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(id, 0);
  // QR, the opcode and RD copied, RA set.
  header.writeUInt16BE(0x8000 | (queryFlags & 0x7900) | 0x0080 | (rcode & 0xf), 2);
  header.writeUInt16BE(question.length > 0 ? 1 : 0, 4);
  return Buffer.concat([header, question]);
}

/** A copy of `message` with another ID. */
export function withId(message: Buffer, id: number): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt16BE(id, 0);
  return copy;
}

/** A copy of `message` with every answer TTL set to `ttl`. */
export function withTtl(message: Buffer, answers: readonly ResourceRecord[], ttl: number): Buffer {
  const copy = Buffer.from(message);
  for (const answer of answers) copy.writeUInt32BE(ttl, answer.ttlOffset);
  return copy;
}

/** A standard query (RD set) for one name, as the resolver sends when refreshing its cache. */
export function encodeQuery(id: number, question: Question): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, encodeQuestion(question)]);
}

function encodeQuestion(q: Question): Buffer {
  const labels = q.name === '' ? [] : q.name.split('.');
  const parts = labels.map((label) => {
    const bytes = Buffer.from(label, 'latin1');
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  });
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(q.type, 1);
  tail.writeUInt16BE(q.class, 3);
  return Buffer.concat([...parts, tail]);
}

/** A (possibly compressed) name at `offset`: the name and the offset just after it. */
function readName(buf: Buffer, offset: number): [string, number] {
  const labels: string[] = [];
  let position = offset;
  let end: number | undefined;
  for (let jumps = 0; ;) {
    need(buf, position + 1);
    const length = buf[position]!;
    if (length === 0) {
      end ??= position + 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      need(buf, position + 2);
      if (++jumps > MAX_POINTERS) throw new DnsFormatError('name compression loops');
      end ??= position + 2;
      position = buf.readUInt16BE(position) & 0x3fff;
      continue;
    }
    if (length > 63) throw new DnsFormatError(`label length ${length} is over 63`);
    need(buf, position + 1 + length);
    labels.push(buf.toString('latin1', position + 1, position + 1 + length));
    position += 1 + length;
  }
  return [labels.join('.'), end];
}

function need(buf: Buffer, length: number): void {
  if (buf.length < length) throw new DnsFormatError('message ends early');
}
