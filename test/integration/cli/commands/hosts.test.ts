import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerChain, parseAllowlist } from '../../../../src/security/nft/index.js';
import { listCoiTable } from '../../../../src/security/network/index.js';
import type { CoiSandbox } from '../../../helpers/coi-cli.js';
import { sandboxForFile } from '../../../helpers/coi-cli.js';
import { RESTRICTED, guardWithKmsg, launchGuarded, sh } from '../../../helpers/network-testbed.js';

/**
 * Named hosts and port ranges on real containers: a target container listens on a few ports and
 * every client reaches it only where its rules say. Traffic stays between test containers.
 */

type Box = { name: string; ip: string };
const { guard } = guardWithKmsg();
let box: CoiSandbox;
let target: Box;
let live: Box;
let ranged: Box;

sandboxForFile('[tool]\nname = "claude"\nbinary = "coi-standin"\n', (b) => (box = b));

beforeAll(async () => {
  target = await launchGuarded('hosts-target', guard, { ...RESTRICTED, mode: 'open' });
  [live, ranged] = await Promise.all([
    launchGuarded('hosts-live', guard, RESTRICTED),
    launchGuarded('hosts-range', guard, {
      ...RESTRICTED,
      mode: 'allowlist',
      allowlist: parseAllowlist([`${target.ip}:8000-8100`]),
    }),
  ]);
  const listen = (ports: number[]) =>
    ports.map((p) => `setsid -f nc -lk ${p} </dev/null >/dev/null 2>&1`).join('; ');
  await Promise.all([
    sh(target.name, listen([8050, 8080, 8081, 8200])),
    // The neighbouring address: another container, listening on the port the entry names.
    sh(ranged.name, listen([8080])),
  ]);
});

afterAll(async () => {
  for (const c of [target, live, ranged]) if (c) await guard.release(c.ip);
});

/** "open" or "shut" for a TCP connect from inside `from`. */
async function reach(from: Box, host: string, port: number): Promise<string> {
  const { out } = await sh(from.name, `nc -z -w 3 ${host} ${port} && echo open || echo shut`);
  return out.trim();
}

/** Whether coi's table still holds anything of `ip` (chains, sets, map elements). */
async function leftovers(ip: string): Promise<boolean> {
  const listing = (await listCoiTable()) ?? '';
  return listing.includes(ip.replaceAll('.', '_')) || listing.includes(`"${ip}"`);
}

describe('[[network.hosts]] in a restricted session', () => {
  it('reaches the named host on its port only, not its other ports or a neighbour address', async () => {
    await box.writeConfig(
      [
        '[tool]',
        'name = "claude"',
        'binary = "coi-standin"',
        '[[network.hosts]]',
        `ip = "${target.ip}"`,
        'hostnames = ["svc.test"]',
        'ports = [8080]',
      ].join('\n'),
    );
    const script = [
      'getent hosts svc.test',
      'for dst in svc.test:8080 svc.test:8081 ' + `${ranged.ip}:8080; do`,
      '  nc -z -w 3 ${dst%:*} ${dst#*:} && echo "$dst open" || echo "$dst shut"',
      'done',
      "ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1",
    ].join('\n');
    const r = await box.run(['run', script], { cwd: box.workspace('hosts-run') });
    expect(r.code, r.stderr).toBe(0);
    const [hosts, ...rest] = r.stdout.trim().split('\n');
    expect(hosts).toMatch(new RegExp(`^${target.ip.replaceAll('.', '\\.')}\\s+svc\\.test$`));
    expect(rest.slice(0, 3)).toEqual([
      'svc.test:8080 open',
      'svc.test:8081 shut',
      `${ranged.ip}:8080 shut`,
    ]);
    // The session's container is gone, and its rules and host sets with it.
    expect(await leftovers(rest[3]!)).toBe(false);
  });
});

describe('coi hosts on a running restricted container', () => {
  it('add opens the address on the listed port at once, remove closes it again', async () => {
    expect(await reach(live, target.ip, 8081)).toBe('shut');
    const add = await box.run([
      'hosts',
      'add',
      live.name,
      target.ip,
      'live.test',
      '--ports',
      '8081,9000-9100',
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(await reach(live, 'live.test', 8081)).toBe('open');
    expect(await reach(live, 'live.test', 8080)).toBe('shut');
    const list = await box.run(['hosts', 'list', live.name, '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      { ip: target.ip, hostnames: ['live.test'], ports: [8081, [9000, 9100]] },
    ]);

    const remove = await box.run(['hosts', 'remove', live.name, 'live.test']);
    expect(remove.code, remove.stderr).toBe(0);
    expect(await reach(live, target.ip, 8081)).toBe('shut');
    expect((await sh(live.name, 'getent hosts live.test')).code).not.toBe(0);
  });

  it('refuses a bad address or an unknown name with exit 2, changing nothing', async () => {
    const bad = await box.run(['hosts', 'add', live.name, '10.0.0', 'x.test']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"10.0.0" is not an IPv4 address');
    const unknown = await box.run(['hosts', 'remove', live.name, 'never.test']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${live.name} has no named host "never.test"`);
  });
});

describe('allowlist entries with a port range', () => {
  it('admit a port inside the range and refuse one outside', async () => {
    expect(await reach(ranged, target.ip, 8050)).toBe('open');
    expect(await reach(ranged, target.ip, 8200)).toBe('shut');
  });
});

describe('teardown', () => {
  it('leaves no nft objects of the released containers', async () => {
    for (const c of [live, ranged]) {
      expect(await leftovers(c.ip)).toBe(true);
      await guard.release(c.ip);
      expect(await leftovers(c.ip), containerChain(c.ip)).toBe(false);
    }
  });
});
