import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCoiTable } from '../../../../src/security/network/index.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { GATEWAY } from '../../../helpers/testbed.js';

/** A session's network rules: in before the command runs, gone after, in every mode. */

let box: CoiSandbox;

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox('[tool]\nname = "claude"\nbinary = "coi-standin"\n');
});

afterAll(async () => {
  await box?.run(['kill', '--all', '--force']);
  await box?.remove();
});

/** Runs a probe in a fresh ephemeral session; prints `<label>=<curl exit code>` per target. */
const PROBE = [
  'ip=$(ip -4 -o addr show dev eth0 | awk \'{print $4}\' | cut -d/ -f1); echo "ip=$ip"',
  `curl -s -m 3 -o /dev/null http://169.254.169.254/; echo metadata=$?`,
  `curl -s -m 3 -o /dev/null http://${GATEWAY}:9/; echo gateway=$?`,
].join('; ');

function parse(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  );
}

describe('session network rules', () => {
  it('restricted (default): metadata refused, gateway reachable, and no rule left after the session', async () => {
    const result = await box.run(['run', PROBE], { cwd: box.workspace('restricted') });
    expect(result.code, result.stderr).toBe(0);
    const probe = parse(result.stdout);
    // 7: refused by coi's reset; 28 would be a timeout (dropped without an answer).
    expect(probe.metadata).toBe('7');
    // Port 9 on the host has no listener: refused by the host itself, so the path is open.
    expect(probe.gateway).toBe('7');
    const table = (await listCoiTable()) ?? '';
    expect(table).not.toContain((probe.ip ?? 'none').replaceAll('.', '_'));
  });

  it('open mode: the session runs with its address pinned and leaves no rule behind', async () => {
    const probe = `ip -4 -o addr show dev eth0 | awk '{print "ip=" $4}' | cut -d/ -f1; curl -s -m 3 -o /dev/null http://${GATEWAY}:9/; echo gateway=$?`;
    const result = await box.run(['run', '--network', 'open', probe], {
      cwd: box.workspace('open'),
    });
    expect(result.code, result.stderr).toBe(0);
    const { ip, gateway } = parse(result.stdout);
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(gateway).toBe('7');
    expect((await listCoiTable()) ?? '').not.toContain((ip ?? 'none').replaceAll('.', '_'));
  });

  it("allowlist: allowed and wildcard names resolve through coi's resolver, others are refused", async () => {
    const sandbox = new CoiSandbox(
      '[network]\nmode = "allowlist"\nallowed_domains = ["deb.debian.org", "*.debian.org"]\n',
    );
    try {
      const script = [
        'getent hosts deb.debian.org >/dev/null; echo exact=$?',
        'getent hosts security.debian.org >/dev/null; echo wildcard=$?',
        'getent hosts example.com >/dev/null; echo unlisted=$?',
      ].join('; ');
      const result = await sandbox.run(['run', script], { cwd: sandbox.workspace('allow') });
      expect(result.code, result.stderr).toBe(0);
      expect(parse(result.stdout)).toEqual({ exact: '0', wildcard: '0', unlisted: '2' });
    } finally {
      await sandbox.run(['kill', '--all', '--force']);
      await sandbox.remove();
    }
  });
});
