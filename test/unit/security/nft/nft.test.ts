import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../../src/shared/run.js';
import {
  EMPTY_ALLOWLIST,
  parseAllowlist,
  parseTableListing,
  planReconcile,
  renderBase,
  renderContainer,
  renderGate,
  renderHosts,
  renderLearned,
  renderRemoval,
  renderTableRemoval,
  splitLogPrefix,
  type HostNetwork,
  type NetworkPolicy,
} from '../../../../src/security/nft/index.js';

const HOST: HostNetwork = {
  bridge: 'incusbr0',
  gateway: '10.99.0.1',
  resolver: { address: '10.99.0.1', port: 5353 },
};
const A = '10.99.0.5';
const B = '10.99.0.6';

function policy(over: Partial<NetworkPolicy> = {}): NetworkPolicy {
  return {
    mode: 'restricted',
    allowlist: EMPTY_ALLOWLIST,
    allowLocalNetworkAccess: false,
    blockPrivateNetworks: true,
    blockMetadataEndpoint: true,
    logging: { ratePerSecond: 20, connections: false, dnsQueries: false },
    ...over,
  };
}

const ALLOWLIST = parseAllowlist([
  'github.com',
  'registry.npmjs.org:443',
  '140.82.112.0/20',
  '140.82.112.0/20:22',
  '140.82.113.4:22',
  '1.1.1.1:443,8443',
]);

/** nft's check mode: the kernel validates the batch and commits nothing. */
async function nftCheck(batch: string): Promise<void> {
  await run('nft', ['-c', '-f', '-'], { stdin: batch });
}

const work = mkdtempSync(join(tmpdir(), 'coi-nft-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs batches in order inside a throwaway network namespace, then lists the table as JSON. */
async function inScratchNetns(batches: string[]): Promise<string> {
  const files = batches.map((batch, i) => {
    const file = join(work, `batch-${process.pid}-${Date.now()}-${i}.nft`);
    writeFileSync(file, batch);
    return file;
  });
  const script = [...files.map((f) => `nft -f ${f}`), 'nft -j list table inet coi'].join(' && ');
  return run('unshare', ['--net', 'sh', '-ec', script]);
}

describe('coi nftables ruleset', () => {
  it('renders batches nft accepts for every mode, the gate, learning and removal', async () => {
    const batch = [
      renderBase(HOST),
      renderGate(B),
      renderContainer(A, policy(), HOST),
      renderContainer(A, policy({ mode: 'open' }), HOST),
      renderContainer(
        A,
        policy({ logging: { ratePerSecond: 0, connections: true, dnsQueries: true } }),
        HOST,
      ),
      renderContainer(B, policy({ mode: 'allowlist', allowlist: ALLOWLIST }), HOST),
      renderContainer(B, policy({ mode: 'allowlist', allowLocalNetworkAccess: true }), HOST),
      renderLearned(B, [{ address: '140.82.121.4' }, { address: '104.16.1.1', ports: [443] }], 600),
      renderRemoval(A),
      renderRemoval(A),
      renderTableRemoval(),
    ].join('');
    await nftCheck(batch);
  });

  it('puts the reverse-shell port watch before the gateway accept', () => {
    const rules = renderContainer(A, policy(), HOST).split('\n');
    const port = rules.findIndex((r) => r.includes('coi:port:10.99.0.5'));
    const gateway = rules.findIndex((r) => r.endsWith('ip daddr 10.99.0.1 accept'));
    expect(port).toBeGreaterThan(-1);
    expect(port).toBeLessThan(gateway);
  });

  it('restricted rejects metadata and private ranges; open only logs them', () => {
    const restricted = renderContainer(A, policy(), HOST);
    expect(restricted).toContain('ip daddr @metadata4 goto refuse');
    expect(restricted).toContain('ip daddr @private4 goto refuse');
    const open = renderContainer(A, policy({ mode: 'open' }), HOST);
    expect(open).toContain('coi:meta:10.99.0.5');
    expect(open).not.toContain('goto refuse');
    const lan = renderContainer(A, policy({ allowLocalNetworkAccess: true }), HOST);
    expect(lan).not.toContain('@private4');
  });

  it('allowlist: DNS only to the resolver, listed entries before the private block, learned after', () => {
    const rules = renderContainer(B, policy({ mode: 'allowlist', allowlist: ALLOWLIST }), HOST)
      .split('\n')
      .filter((r) => r.startsWith('add rule'));
    const at = (text: string) => rules.findIndex((r) => r.includes(text));
    expect(at('th dport 5353 accept')).toBeLessThan(at('th dport { 53, 853 } goto refuse'));
    expect(at('@s4_10_99_0_6 accept')).toBeLessThan(at('@private4 goto refuse'));
    expect(at('@private4 goto refuse')).toBeLessThan(at('@d4_10_99_0_6 accept'));
    expect(rules.at(-1)).toContain('goto refuse');
    expect(rules.at(-2)).toContain('coi:deny:10.99.0.6');
  });

  it('drops allowlist port entries that a wider entry already covers', () => {
    const batch = renderContainer(B, policy({ mode: 'allowlist', allowlist: ALLOWLIST }), HOST);
    expect(batch).toContain(
      'add element inet coi s4p_10_99_0_6 { 140.82.112.0/20 . 22, 1.1.1.1 . 443, 1.1.1.1 . 8443 }',
    );
    expect(batch).toContain('add element inet coi s4_10_99_0_6 { 140.82.112.0/20 }');
  });

  it('names the container in every log prefix, within nft’s 127 characters', () => {
    const batch = renderContainer('255.255.255.254', policy({ mode: 'allowlist' }), {
      ...HOST,
    });
    const prefixes = [...batch.matchAll(/log prefix "([^"]*)"/g)].map((m) => m[1]!);
    expect(prefixes.length).toBeGreaterThan(0);
    for (const prefix of prefixes) {
      expect(prefix.length).toBeLessThanOrEqual(127);
      expect(splitLogPrefix(`${prefix}IN=incusbr0`)?.containerIp).toBe('255.255.255.254');
    }
  });

  it('refuses domain entries without a resolver and bad addresses, saying what is wrong', () => {
    const noResolver = { bridge: 'incusbr0', gateway: '10.99.0.1' };
    expect(() =>
      renderContainer(B, policy({ mode: 'allowlist', allowlist: ALLOWLIST }), noResolver),
    ).toThrow(/github\.com.*resolver/);
    expect(() => renderGate('10.99.0')).toThrow(/not an IPv4 address/);
    expect(() => parseAllowlist(['example.com:http'])).toThrow(
      /allowed_domains: "example.com:http"/,
    );
  });

  it('applies, re-applies and reconciles in a scratch network namespace', async () => {
    const listing = parseTableListing(
      await inScratchNetns([
        renderBase(HOST),
        renderGate(A),
        renderContainer(A, policy(), HOST),
        renderContainer(A, policy(), HOST),
        renderContainer(B, policy({ mode: 'allowlist', allowlist: ALLOWLIST }), HOST),
        renderLearned(B, [{ address: '140.82.121.4' }], 600),
        renderLearned(B, [{ address: '140.82.121.4' }], 900),
        renderBase(HOST),
      ]),
    );
    expect(listing.baseChains).toBe(true);
    expect([...listing.containers].sort()).toEqual([A, B]);

    const plan = planReconcile(listing, [A]);
    expect(plan.stale).toEqual([B]);

    const after = parseTableListing(
      await inScratchNetns([
        renderBase(HOST),
        renderContainer(A, policy(), HOST),
        renderContainer(B, policy({ mode: 'allowlist', allowlist: ALLOWLIST }), HOST),
        plan.batch,
        renderRemoval(B),
      ]),
    );
    expect([...after.containers]).toEqual([A]);
    expect(planReconcile(after, [A]).batch).toBe('');
  });

  it('switching a container from allowlist to restricted leaves no allowlist sets behind', async () => {
    const json = await inScratchNetns([
      renderBase(HOST),
      renderContainer(B, policy({ mode: 'allowlist', allowlist: ALLOWLIST }), HOST),
      renderContainer(B, policy(), HOST),
    ]);
    expect(json).not.toMatch(/"name": "[sd]4p?_10_99_0_6"/);
    expect(json).toContain('"name": "c_10_99_0_6"');
  });

  it('egress proxy: the proxy NAT chain is reconciled, dropped with the mode and on removal', async () => {
    const proxied: HostNetwork = { ...HOST, egressProxy: true };
    const allowlisted = policy({ mode: 'allowlist', allowlist: ALLOWLIST });
    const json = await inScratchNetns([
      renderBase(proxied),
      renderContainer(B, allowlisted, proxied),
    ]);
    expect(json).toContain('"name": "p_10_99_0_6"');
    expect([...parseTableListing(json).containers]).toEqual([B]);
    const switched = await inScratchNetns([
      renderBase(proxied),
      renderContainer(B, allowlisted, proxied),
      renderContainer(B, policy(), proxied),
    ]);
    expect(switched).not.toContain('"name": "p_10_99_0_6"');
    const removed = await inScratchNetns([
      renderBase(proxied),
      renderContainer(B, allowlisted, proxied),
      renderRemoval(B),
    ]);
    expect(removed).not.toContain('10_99_0_6');
    expect(parseTableListing(removed).containers.size).toBe(0);
  });

  it('inject_in_open: open and restricted HTTP(S) to the proxy for every name, restricted blocks stay direct', async () => {
    const proxied: HostNetwork = { ...HOST, egressProxy: true };
    const chainRules = (over: Partial<NetworkPolicy>) =>
      renderContainer(A, policy({ anyNameProxy: true, ...over }), proxied)
        .split('\n')
        .filter((r) => r.startsWith('add rule inet coi p_10_99_0_5 '))
        .map((r) => r.slice('add rule inet coi p_10_99_0_5 '.length));
    expect(chainRules({ mode: 'open' })).toEqual([
      'tcp dport 80 dnat ip to 10.99.0.1:39080',
      'tcp dport 443 dnat ip to 10.99.0.1:39443',
    ]);
    expect(chainRules({})).toEqual([
      'meta l4proto tcp ip daddr @h4_10_99_0_5 return',
      'meta l4proto tcp ip daddr . tcp dport @h4p_10_99_0_5 return',
      'meta l4proto tcp ip daddr @metadata4 return',
      'meta l4proto tcp ip daddr != 10.99.0.1 ip daddr @private4 return',
      'tcp dport 80 dnat ip to 10.99.0.1:39080',
      'tcp dport 443 dnat ip to 10.99.0.1:39443',
    ]);
    // allowed_ports without 80: port 80 is left to the filter chain, which refuses it.
    expect(chainRules({ allowedPorts: [443, 22] }).filter((r) => r.includes('dnat'))).toEqual([
      'tcp dport 443 dnat ip to 10.99.0.1:39443',
    ]);
    expect(chainRules({ mode: 'allowlist', allowlist: ALLOWLIST }).join('\n')).not.toContain(
      '39443',
    );
    expect(() => renderContainer(A, policy({ anyNameProxy: true }), HOST)).toThrow(
      /inject_in_open.*no egress proxy/,
    );
    const json = await inScratchNetns([
      renderBase(proxied),
      renderContainer(A, policy({ anyNameProxy: true }), proxied),
      renderContainer(B, policy({ mode: 'open', anyNameProxy: true }), proxied),
    ]);
    expect(json).toContain('"name": "p_10_99_0_5"');
    expect(json).toContain('"name": "p_10_99_0_6"');
  });

  it('rejects a listing that is not nft JSON', () => {
    expect(() => parseTableListing('table inet coi {')).toThrow(/not JSON/);
    expect(() => parseTableListing('{"x":1}')).toThrow(/"nftables"/);
  });

  describe('named hosts, allowed ports, the DNS pin and port ranges', () => {
    const NAS = {
      ip: '192.168.1.50',
      hostnames: ['nas.lan'],
      ports: [5432, [8000, 8100] as const],
    };
    const ROUTER = { ip: '192.168.1.1', hostnames: ['router.lan'], ports: [] };
    const RANGES = parseAllowlist([
      '10.0.0.0/8:8000-8100',
      '10.0.0.5:80,8050-8200',
      '10.0.0.5:8000-8100',
      'api.example.com:80,8000-8010',
    ]);
    const restricted = policy({
      hosts: [NAS, ROUTER],
      allowedPorts: [443, 8443],
      dnsServers: ['192.168.1.53'],
    });
    const ruleList = (batch: string) => batch.split('\n').filter((r) => r.startsWith('add rule'));

    it('renders batches nft accepts: hosts in both enforcing modes, ranges, live host changes', async () => {
      await nftCheck(
        [
          renderBase(HOST),
          renderContainer(A, restricted, HOST),
          renderHosts(A, [ROUTER]),
          renderHosts(A, []),
          renderContainer(B, policy({ mode: 'allowlist', allowlist: RANGES, hosts: [NAS] }), HOST),
          renderLearned(B, [{ address: '203.0.113.9', ports: [80, [8000, 8010]] }], 600),
          renderRemoval(A),
          renderRemoval(B),
        ].join(''),
      );
    });

    it('fills the host sets: every-port addresses and address . port spans', () => {
      expect(renderHosts(A, [NAS, ROUTER, { ...NAS, hostnames: ['nas'], ports: [8050] }])).toBe(
        [
          'add set inet coi h4_10_99_0_5 { type ipv4_addr; flags interval; auto-merge; }',
          'flush set inet coi h4_10_99_0_5',
          'add element inet coi h4_10_99_0_5 { 192.168.1.1 }',
          'add set inet coi h4p_10_99_0_5 { type ipv4_addr . inet_service; flags interval; }',
          'flush set inet coi h4p_10_99_0_5',
          'add element inet coi h4p_10_99_0_5 { 192.168.1.50 . 5432, 192.168.1.50 . 8000-8100 }',
          '',
        ].join('\n'),
      );
    });

    it('restricted: hosts and DNS servers before the private block, other DNS and ports refused', () => {
      const rules = ruleList(renderContainer(A, restricted, HOST));
      const at = (text: string) => rules.findIndex((r) => r.includes(text));
      expect(at('ip daddr @h4_10_99_0_5 accept')).toBeGreaterThan(at('ip daddr 10.99.0.1 accept'));
      expect(at('ip daddr @h4_10_99_0_5 accept')).toBeLessThan(at('@private4 goto refuse'));
      expect(at('th dport @h4p_10_99_0_5 accept')).toBeLessThan(at('@private4 goto refuse'));
      expect(
        at('ip daddr { 192.168.1.53 } meta l4proto { tcp, udp } th dport { 53, 853 } accept'),
      ).toBeLessThan(at('@private4 goto refuse'));
      expect(at('@private4 goto refuse')).toBeLessThan(at('th dport { 53, 853 } goto refuse'));
      expect(at('th dport { 53, 853 } goto refuse')).toBeLessThan(
        at('th dport { 443, 8443 } accept'),
      );
      expect(rules.at(-1)).toMatch(/ goto refuse$/);
      expect(rules).not.toContain('add rule inet coi c_10_99_0_5 accept');
      // Without them, restricted stays as it was: DNS anywhere, every port out.
      const plain = ruleList(renderContainer(A, policy(), HOST));
      expect(plain.at(-1)).toBe('add rule inet coi c_10_99_0_5 accept');
      expect(plain.join('\n')).not.toContain('th dport { 53, 853 } goto refuse');
    });

    it('allowlist: hosts before the private block; open mode keeps no host sets', () => {
      const rules = ruleList(
        renderContainer(B, policy({ mode: 'allowlist', allowlist: RANGES, hosts: [NAS] }), HOST),
      );
      const at = (text: string) => rules.findIndex((r) => r.includes(text));
      expect(at('ip daddr @h4_10_99_0_6 accept')).toBeGreaterThan(
        at('th dport { 53, 853 } goto refuse'),
      );
      expect(at('th dport @h4p_10_99_0_6 accept')).toBeLessThan(at('@private4 goto refuse'));
      const open = renderContainer(A, policy({ mode: 'open', hosts: [NAS] }), HOST);
      expect(open).toContain('delete set inet coi h4p_10_99_0_5');
      expect(open).not.toContain('@h4');
    });

    it('merges overlapping port ranges of nested entries into disjoint elements', () => {
      const batch = renderContainer(B, policy({ mode: 'allowlist', allowlist: RANGES }), HOST);
      expect(batch).toContain(
        'add element inet coi s4p_10_99_0_6 { 10.0.0.0/8 . 8000-8100, 10.0.0.5 . 80, 10.0.0.5 . 8101-8200 }',
      );
      expect(RANGES.domains).toEqual([{ name: 'api.example.com', ports: [80, [8000, 8010]] }]);
    });

    it('learns each port of a host name’s range', () => {
      const batch = renderLearned(B, [{ address: '203.0.113.9', ports: [[8000, 8002], 80] }], 60);
      expect(batch.split('\n')[0]).toBe(
        'add element inet coi d4p_10_99_0_6 { 203.0.113.9 . 80 timeout 60s, 203.0.113.9 . 8000 timeout 60s, ' +
          '203.0.113.9 . 8001 timeout 60s, 203.0.113.9 . 8002 timeout 60s }',
      );
    });

    it('in a scratch namespace: live host changes keep the chain, removal leaves no host sets', async () => {
      const live = await inScratchNetns([
        renderBase(HOST),
        renderContainer(A, restricted, HOST),
        renderHosts(A, [ROUTER]),
      ]);
      expect(live).toContain('"name": "h4_10_99_0_5"');
      expect(live).toContain('"192.168.1.1"');
      expect(live).not.toContain('192.168.1.50');
      expect(live).toContain('"name": "c_10_99_0_5"');
      const gone = await inScratchNetns([
        renderBase(HOST),
        renderContainer(A, restricted, HOST),
        renderRemoval(A),
      ]);
      expect(gone).not.toMatch(/h4p?_10_99_0_5|c_10_99_0_5/);
    });
  });
});
