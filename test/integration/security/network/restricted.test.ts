import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RESTRICTED,
  eventually,
  guardWithKmsg,
  hostListener,
  kernelClockOffsetNs,
  launchGuarded,
  percentile,
  sh,
} from '../../../helpers/network-testbed.js';
import { BRIDGE, GATEWAY } from '../../../helpers/testbed.js';

const { guard, source, events } = guardWithKmsg();
const PORT = 40_000 + Math.floor(Math.random() * 10_000);
let listener: Server | undefined;
let restricted: { name: string; ip: string };
let open: { name: string; ip: string };

beforeAll(async () => {
  await source.start();
  listener = await hostListener(GATEWAY, PORT);
  [restricted, open] = await Promise.all([
    launchGuarded('net-restricted', guard, RESTRICTED),
    launchGuarded('net-open', guard, { ...RESTRICTED, mode: 'open' }),
  ]);
  await sh(open.name, 'setsid -f nc -lk 8080 </dev/null >/dev/null 2>&1');
  await sh(restricted.name, 'setsid -f nc -lk 8081 </dev/null >/dev/null 2>&1');
});

afterAll(async () => {
  source.stop();
  listener?.close();
  for (const c of [restricted, open]) if (c) await guard.release(c.name);
});

const from = (c: { name: string }, kind: string, dst: string, dpt?: number) => () =>
  events.find(
    (e) =>
      e.container === c.name &&
      e.event.kind === kind &&
      e.event.dst === dst &&
      (dpt === undefined || e.event.dpt === dpt),
  );

describe('restricted mode on a real container', () => {
  it('reaches the gateway', async () => {
    expect((await sh(restricted.name, `nc -z -w 3 ${GATEWAY} ${PORT}`)).code).toBe(0);
  });

  it('is refused the metadata endpoint, and the kernel log raises a critical alert', async () => {
    expect((await sh(restricted.name, 'nc -z -w 3 169.254.169.254 80')).code).not.toBe(0);
    const event = await eventually(from(restricted, 'meta', '169.254.169.254', 80), 'meta line');
    expect(event.alert).toMatchObject({ level: 'critical', title: 'Metadata endpoint access' });
    expect(event.alert?.evidence).toMatchObject({
      network: { container_ip: restricted.ip, dst_ip: '169.254.169.254', dst_port: 80 },
    });
  });

  it("is refused another container's private address (bridged traffic) with a high alert", async () => {
    expect((await sh(restricted.name, `nc -z -w 3 ${open.ip} 8080`)).code).not.toBe(0);
    const event = await eventually(from(restricted, 'priv', open.ip, 8080), 'priv line');
    expect(event.alert).toMatchObject({ level: 'high', title: 'Connection to private network' });
  });

  it('logs port 4444 on the gateway as critical', async () => {
    await sh(restricted.name, `nc -z -w 2 ${GATEWAY} 4444`);
    const event = await eventually(from(restricted, 'port', GATEWAY, 4444), 'port line');
    expect(event.alert).toMatchObject({
      level: 'critical',
      title: 'Connection to suspicious port',
    });
  });

  it('ignores coi lines written to /dev/kmsg from user space', async () => {
    const forged = `coi:meta:${restricted.ip} IN=${BRIDGE} OUT=eth9 SRC=${restricted.ip} DST=169.254.169.254 PROTO=TCP SPT=1 DPT=7777`;
    await writeFile('/dev/kmsg', `<0>${forged}\n`);
    await sh(restricted.name, 'nc -z -w 2 169.254.169.254 7778');
    await eventually(from(restricted, 'meta', '169.254.169.254', 7778), 'the real line after it');
    expect(events.find((e) => e.event.dpt === 7777)).toBeUndefined();
  });

  it('measures blocked connect() → kmsg callback over 20 trials (kernel clock)', async () => {
    const offset = kernelClockOffsetNs();
    // The connects run in the background inside the container, so this process is idle (not busy
    // with an exec stream) when the lines arrive, as the monitor daemon would be.
    const mine = () => events.filter((e) => e.event.kind === 'meta' && e.event.dpt === 81);
    await sh(
      restricted.name,
      "setsid -f sh -c 'for i in $(seq 20); do nc -z -w 1 169.254.169.254 81; sleep 0.1; done' " +
        '</dev/null >/dev/null 2>&1',
    );
    await eventually(() => (mine().length >= 20 ? true : undefined), '20 trials', 15_000);
    const latencies = mine().map(
      (e) => Number(e.receivedAt - (BigInt(e.record.usec) * 1000n + offset)) / 1e6,
    );
    console.log(
      `kmsg latency (ms, n=20): p50 ${percentile(latencies, 50).toFixed(3)}, ` +
        `p95 ${percentile(latencies, 95).toFixed(3)}, max ${Math.max(...latencies).toFixed(3)}`,
    );
    expect(percentile(latencies, 95)).toBeLessThan(100);
  });
});

describe('open mode on a real container', () => {
  it('is not filtered: gateway and another container are reachable', async () => {
    expect((await sh(open.name, `nc -z -w 3 ${GATEWAY} ${PORT}`)).code).toBe(0);
    expect((await sh(open.name, `nc -z -w 3 ${restricted.ip} 8081`)).code).toBe(0);
    // Open mode still logs what restricted mode would block (here: a private address).
    await eventually(from(open, 'priv', restricted.ip, 8081), 'priv line of the open container');
  });
});
