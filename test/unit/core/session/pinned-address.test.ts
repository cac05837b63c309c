import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  pinnedAddressHint,
  pinnedAddressWait,
} from '../../../../src/core/session/pinned-address.js';

/**
 * The wait for the pinned address, run by the host's sh against a stand-in `ip` (eth0's addresses
 * from a file) and `networkctl` (logs the renewal, and whether it holds the set-up lock's fd 9, and
 * hands out what RENEW_TO says). The host has
 * no ifupdown dhclient (no /run/dhclient.eth0.pid), so the renewal is networkd's.
 */

const PIN = '10.99.0.254';
const root = mkdtempSync(join(tmpdir(), 'coi-pinned-address-'));
const state = join(root, 'eth0');
const calls = join(root, 'calls');

writeFileSync(
  join(root, 'ip'),
  '#!/bin/sh\nwhile read -r a; do echo "2: eth0    inet $a/24 brd 10.99.0.255 scope global dynamic eth0\\       valid_lft 3596sec"; done < "$STATE"\n',
  { mode: 0o755 },
);
writeFileSync(
  join(root, 'networkctl'),
  '#!/bin/sh\nif { true >&9; } 2>/dev/null; then fd9=" (holding fd 9)"; fi\necho "networkctl $*$fd9" >> "$CALLS"\n[ -z "$RENEW_TO" ] || echo "$RENEW_TO" > "$STATE"\n',
  { mode: 0o755 },
);

beforeEach(() => {
  writeFileSync(state, '');
  rmSync(calls, { force: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the wait with eth0 holding `held` and a deadline `seconds` away. */
function wait(held: string[], opts: { renewTo?: string; seconds?: number } = {}) {
  writeFileSync(state, held.map((a) => `${a}\n`).join(''));
  const script = [
    'set -e',
    // The set-up script's lock (see containerSetupScript).
    'exec 9>/dev/null',
    `deadline=$(( $(date +%s) + ${opts.seconds ?? 5} ))`,
    'late() { [ "$(date +%s)" -ge "$deadline" ]; }',
    ...pinnedAddressWait(PIN),
  ].join('\n');
  const r = spawnSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: {
      PATH: `${root}:${process.env.PATH ?? ''}`,
      STATE: state,
      CALLS: calls,
      RENEW_TO: opts.renewTo ?? '',
    },
  });
  const renewals = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
  return { code: r.status, stderr: r.stderr.trim(), renewals };
}

describe('waiting for the pinned address', () => {
  it('is done at once when eth0 holds the pin, without asking DHCP again', () => {
    expect(wait([PIN])).toEqual({ code: 0, stderr: '', renewals: [] });
    expect(wait(['10.99.0.7', PIN])).toMatchObject({ code: 0, renewals: [] });
  });

  it('renews the lease once when eth0 holds a dynamic address, then has the pin', () => {
    expect(wait(['10.99.0.142'], { renewTo: PIN })).toEqual({
      code: 0,
      stderr: '',
      renewals: ['networkctl renew eth0'],
    });
  });

  it('names both addresses at the deadline when the renewal did not bring the pin', () => {
    const r = wait(['10.99.0.142'], { renewTo: '10.99.0.143', seconds: 1 });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `eth0 holds 10.99.0.143, not its pinned ${PIN}, also after renewing its DHCP lease`,
    );
    expect(r.renewals).toEqual(['networkctl renew eth0']);
    expect(pinnedAddressHint(r.stderr)).toContain('`incus network list-leases <bridge>`');
  });

  it('does not renew while eth0 has no address, and says so at the deadline', () => {
    const r = wait([], { seconds: 1 });
    expect(r).toEqual({
      code: 3,
      stderr: `eth0 has no IPv4 address (its pin is ${PIN})`,
      renewals: [],
    });
    expect(pinnedAddressHint(r.stderr)).toBeUndefined();
  });
});

describe('the renewal', () => {
  it("restarts ifupdown's dhclient on its own pid and lease files, else asks networkd", () => {
    const script = pinnedAddressWait(PIN).join('\n');
    expect(script).toContain(
      'if command -v dhclient >/dev/null && [ -e /run/dhclient.eth0.pid ]; then\n' +
        '    dhclient -4 -r -pf /run/dhclient.eth0.pid eth0 >/dev/null 2>&1 || true\n' +
        '    dhclient -4 -nw -pf /run/dhclient.eth0.pid -lf /var/lib/dhcp/dhclient.eth0.leases eth0 >/dev/null 2>&1 || true\n' +
        '  else\n' +
        '    networkctl renew eth0 >/dev/null 2>&1 || true',
    );
  });
});
