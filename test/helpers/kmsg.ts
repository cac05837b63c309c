import { classifyNetworkEvent } from '../../src/security/detectors/network.js';
import type { KmsgNetworkEvent } from '../../src/security/sources/kmsg.js';
import { parseKmsgRecord, parseNftLog } from '../../src/security/sources/kmsg-parse.js';

/** A raw /dev/kmsg read to a coi network event with its record: the kmsg source's two steps. */
export function nftEventOf(text: string) {
  const record = parseKmsgRecord(text);
  const event = record && parseNftLog(record.message);
  return record && event ? { record, event } : undefined;
}

/** A kernel-log line of coi's nft rules, as the kmsg source hands it on (5 s after boot). */
export function nftLine(
  kind: 'priv' | 'meta' | 'conn',
  containerIp: string,
  dst: string,
): KmsgNetworkEvent {
  const text =
    `4,100,5000000,-;coi:${kind}:${containerIp} IN=incusbr0 OUT=eth0 ` +
    `SRC=${containerIp} DST=${dst} LEN=60 PROTO=TCP SPT=43210 DPT=80 SYN \n`;
  const parsed = nftEventOf(text)!;
  return {
    container: undefined,
    ...parsed,
    alert: classifyNetworkEvent(parsed.event) ?? undefined,
    receivedAt: 0n,
  };
}
