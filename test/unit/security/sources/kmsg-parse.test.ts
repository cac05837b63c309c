import { describe, expect, it } from 'vitest';
import { parseKmsgRecord, parseNftLog } from '../../../../src/security/sources/kmsg-parse.js';
import { nftEventOf } from '../../../helpers/kmsg.js';

const TCP =
  '6,1834,52873921412,-;coi:meta:10.99.0.5 IN=incusbr0 OUT=eth0 MAC=00:16:3e:aa:bb:cc:00:16:3e:11:22:33:08:00 ' +
  'SRC=10.99.0.5 DST=169.254.169.254 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=4242 DF PROTO=TCP SPT=43210 DPT=80 ' +
  'WINDOW=64240 RES=0x00 SYN URGP=0 \n SUBSYSTEM=net\n DEVICE=+net:incusbr0\n';

describe('/dev/kmsg records', () => {
  it('splits header, message and dictionary', () => {
    const record = parseKmsgRecord(TCP);
    expect(record).toMatchObject({
      level: 6,
      facility: 0,
      seq: 1834,
      usec: 52873921412,
      flags: '-',
    });
    expect(record?.message.startsWith('coi:meta:10.99.0.5 IN=incusbr0')).toBe(true);
    expect(record?.dict).toEqual({ SUBSYSTEM: 'net', DEVICE: '+net:incusbr0' });
  });

  it('decodes facility and level, and \\x escapes', () => {
    const record = parseKmsgRecord('30,7,100,c;tab\\x09here\\x5c');
    expect(record).toMatchObject({ level: 6, facility: 3, flags: 'c', message: 'tab\there\\' });
  });

  it('rejects text that is not a record', () => {
    expect(parseKmsgRecord('hello')).toBeUndefined();
    expect(parseKmsgRecord('a,b,c,-;x')).toBeUndefined();
  });
});

describe('netfilter log payload', () => {
  it('types a TCP packet from a coi rule', () => {
    const event = nftEventOf(TCP)?.event;
    expect(event).toMatchObject({
      kind: 'meta',
      containerIp: '10.99.0.5',
      in: 'incusbr0',
      out: 'eth0',
      src: '10.99.0.5',
      dst: '169.254.169.254',
      proto: 'TCP',
      spt: 43210,
      dpt: 80,
      len: 60,
    });
    expect(event?.flags).toEqual(['DF', 'SYN']);
  });

  it('keeps the IP length when UDP prints its own LEN, and an empty OUT for the host', () => {
    const event = parseNftLog(
      'coi:dns:10.99.0.6 IN=incusbr0 OUT= MAC=x SRC=10.99.0.6 DST=10.99.0.1 LEN=71 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=UDP SPT=51515 DPT=53 LEN=51 ',
    );
    expect(event).toMatchObject({ kind: 'dns', out: '', proto: 'UDP', dpt: 53, len: 71 });
  });

  it('reads ICMP packets, which have no ports', () => {
    const event = parseNftLog(
      'coi:priv:10.99.0.5 IN=incusbr0 OUT=eth0 SRC=10.99.0.5 DST=192.168.1.1 LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=3 SEQ=1',
    );
    expect(event).toMatchObject({ kind: 'priv', proto: 'ICMP', dpt: undefined });
    expect(event?.fields.TYPE).toBe('8');
  });

  it('ignores lines from other rules and unknown coi kinds', () => {
    expect(
      parseNftLog('[UFW BLOCK] IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP'),
    ).toBeUndefined();
    expect(parseNftLog('coi:what:10.99.0.5 IN=x OUT= SRC=1.2.3.4 DST=5.6.7.8')).toBeUndefined();
    expect(nftEventOf('6,1,1,-;usb 1-1: new device')).toBeUndefined();
  });
});
