import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { readAudit } from '../../../../src/security/audit/tail.js';
import { AuditWriter } from '../../../../src/security/audit/writer.js';
import type { AllowlistResolver } from '../../../../src/security/monitor/allowlist-registration.js';
import { NetworkControl } from '../../../../src/security/monitor/network-control.js';
import { DECISION_TITLES } from '../../../../src/security/monitor/network-audit.js';
import type { AllowlistDomain } from '../../../../src/security/nft/policy.js';
import { toCoiContainer } from '../../../../src/shared/coi-container.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const PREFIX = 'coi-unit-';
const NAME = containerName('/work/net', 1, PREFIX);
const OPEN = containerName('/work/open', 1, PREFIX);
const IP = '10.99.0.5';
const DOMAINS: AllowlistDomain[] = [{ name: 'api.github.com', ports: [443] }];

let dir: string;
let incus: FakeIncus;
let control: NetworkControl;
let registered: Map<
  string,
  { container: string; domains: AllowlistDomain[]; noSni?: string; anyName?: object }
>;
let unlearned: Array<{ ip: string; name: string; ports: unknown[] }>;

const nic = (ip: string) => ({
  eth0: { type: 'nic', name: 'eth0', network: 'incusbr0', 'ipv4.address': ip },
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coi-network-control-'));
  incus = new FakeIncus([
    {
      name: NAME,
      devices: nic(IP),
      config: {
        'user.coi.workspace': '/work/net',
        'user.coi.network_mode': 'allowlist',
        'user.coi.allowlist': JSON.stringify(DOMAINS),
        'user.coi.no_sni': 'allow',
      },
    },
    {
      name: OPEN,
      devices: nic('10.99.0.6'),
      config: { 'user.coi.workspace': '/work/open', 'user.coi.network_mode': 'open' },
    },
  ]);
  registered = new Map();
  unlearned = [];
  const resolver: AllowlistResolver = {
    add: (ip, container, domains, proxying) =>
      void registered.set(ip, { container, domains, ...proxying }),
    remove: (ip) => void registered.delete(ip),
    unlearn: async (ip, name, ports) => void unlearned.push({ ip, name, ports }),
  };
  control = new NetworkControl({
    incus,
    prefix: PREFIX,
    audit: new AuditWriter(join(dir, 'audit')),
    resolver,
  });
  control.register(toCoiContainer(await incus.instances.getFull(NAME), PREFIX)!);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function records(): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  await readAudit(join(dir, 'audit'), NAME, { onRecord: (r) => out.push(r) });
  return out;
}

const ask = async (request: string) => JSON.parse((await control.answer(request))!) as unknown;

describe('NetworkControl', () => {
  it('registers an allowlist container with its recorded no_sni', () => {
    expect(registered.get(IP)).toEqual({ container: NAME, domains: DOMAINS, noSni: 'allow' });
  });

  it('registers an open container with any_name_proxy (inject_in_open) by its blocks; other open ones not', async () => {
    expect(registered.has('10.99.0.6')).toBe(false);
    const recorded = await incus.instances.getFull(OPEN);
    recorded.config['user.coi.any_name_proxy'] = JSON.stringify({ metadata: true, private: false });
    control.register(toCoiContainer(recorded, PREFIX)!);
    expect(registered.get('10.99.0.6')).toEqual({
      container: OPEN,
      domains: [],
      anyName: { metadata: true, private: false },
    });
  });

  it('answers `network <container>` with its decisions, newest first; other requests are not its own', async () => {
    const decision = {
      time: 1,
      source: 'dns' as const,
      verdict: 'refused' as const,
      name: 'evil.example',
      address: '',
      reason: 'not on the allowlist',
    };
    control.record(NAME, IP, decision);
    control.record(NAME, IP, { ...decision, time: 2 });
    expect(await ask(`network ${NAME}`)).toEqual({
      decisions: [{ ...decision, time: 2 }, decision],
    });
    expect(await ask(`network ${OPEN}`)).toEqual({ decisions: [] });
    expect(control.answer('status')).toBeUndefined();
  });

  it('audits an allowed proxy connection, not a DNS answer', async () => {
    const allowed = {
      time: 1,
      verdict: 'allowed' as const,
      name: 'api.github.com',
      address: '140.82.112.6',
      reason: 'SNI on the allowlist',
    };
    control.record(NAME, IP, { ...allowed, source: 'dns' });
    control.record(NAME, IP, { ...allowed, source: 'proxy', port: 443 });
    await expect
      .poll(async () => (await records()).map((r) => r.title))
      .toEqual([DECISION_TITLES.proxyAllowed]);
    expect((await records())[0]).toMatchObject({ workspace: '/work/net', level: 'info' });
  });

  it('allow: records the name on the container, re-registers the new allowlist and audits it', async () => {
    expect(await ask(`allow ${NAME} Evil.Example`)).toEqual({
      ok: true,
      message: `evil.example allowed for ${NAME}`,
    });
    const next = [...DOMAINS, { name: 'evil.example', ports: [] }];
    const { value } = await incus.instances.get(NAME);
    expect(JSON.parse(value.config['user.coi.allowlist']!)).toEqual(next);
    expect(registered.get(IP)).toMatchObject({ domains: next, noSni: 'allow' });
    expect(await records()).toMatchObject([
      {
        title: DECISION_TITLES.nameAllowed,
        level: 'info',
        action: 'logged',
        evidence: { dns: { domain: 'evil.example', reasons: ['allowed by the operator'] } },
      },
    ]);
  });

  it('block: takes the entry off, unlearns its addresses and audits it', async () => {
    expect(await ask(`block ${NAME} api.github.com`)).toMatchObject({ ok: true });
    const { value } = await incus.instances.get(NAME);
    expect(JSON.parse(value.config['user.coi.allowlist']!)).toEqual([]);
    expect(registered.get(IP)?.domains).toEqual([]);
    expect(unlearned).toEqual([{ ip: IP, name: 'api.github.com', ports: [443] }]);
    expect((await records()).map((r) => r.title)).toEqual([DECISION_TITLES.nameBlocked]);
  });

  it('says why a change cannot be made, changing nothing', async () => {
    expect(await ask(`allow ${OPEN} evil.example`)).toEqual({
      error: expect.stringContaining('is not in allowlist mode (network.mode = "open")'),
    });
    expect(await ask(`block ${NAME} other.example`)).toEqual({
      error: 'other.example is not on the allowlist',
    });
    expect(await ask(`allow ${PREFIX}gone-1 evil.example`)).toEqual({
      error: `no container "${PREFIX}gone-1"`,
    });
    const { value } = await incus.instances.get(NAME);
    expect(JSON.parse(value.config['user.coi.allowlist']!)).toEqual(DOMAINS);
    expect(await records()).toEqual([]);
  });
});
