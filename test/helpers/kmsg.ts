import { parseKmsgRecord, parseNftLog } from '../../src/security/sources/kmsg-parse.js';

/** A raw /dev/kmsg read to a coi network event with its record: the kmsg source's two steps. */
export function nftEventOf(text: string) {
  const record = parseKmsgRecord(text);
  const event = record && parseNftLog(record.message);
  return record && event ? { record, event } : undefined;
}
