import { describe, expect, it } from 'vitest';
import {
  bootLimitHint,
  containerSetupScript,
  type InsideSetup,
} from '../../../../src/core/session/inside.js';

const setup = (extra: Partial<InsideSetup> = {}): InsideSetup => ({
  hostname: 'coi-abcdef12-1',
  ipv4: '10.99.0.254',
  codeUser: 'code',
  codeUid: 1000,
  imageUid: 1000,
  gitGuards: { protectedBranches: [] },
  stopGraceful: true,
  readyTimeoutSeconds: 30,
  ...extra,
});

describe('in-container set-up script', () => {
  it('sets the host name and git policy, then waits for the network and the boot', () => {
    const script = containerSetupScript(setup());
    expect(script.split('\n').slice(0, 5)).toEqual([
      'set -e',
      'if command -v flock >/dev/null; then exec 9>/run/coi-setup.lock; flock 9; fi',
      'echo coi-abcdef12-1 > /etc/hostname',
      'hostname coi-abcdef12-1',
      'git config --system user.useConfigOnly true',
    ]);
    expect(script).toContain('deadline=$(( $(date +%s) + 30 ))');
    expect(script).toContain('ip -4 -o addr show dev eth0');
    expect(script).not.toContain('usermod');
    expect(script.indexOf('ip -4 -o addr')).toBeLessThan(
      script.indexOf('systemctl is-system-running'),
    );
    expect(script).not.toContain('systemd-run');
  });

  it('rewrites coi’s /etc/hosts lines before waiting, also when there are none', () => {
    const hosts = [{ ip: '192.168.1.50', hostnames: ['nas.lan'] }];
    const script = containerSetupScript(setup({ hosts }));
    expect(script).toContain("printf '%s\\n' '192.168.1.50 nas.lan # coi-hosts' >> /etc/hosts");
    expect(script.indexOf('# coi-hosts')).toBeLessThan(script.indexOf('deadline='));
    expect(containerSetupScript(setup())).toContain(
      "[ ! -e /etc/hosts ] || sed -i '/ # coi-hosts$/d' /etc/hosts",
    );
  });

  it('moves the code user to another uid and re-owns its home', () => {
    const script = containerSetupScript(setup({ codeUid: 1500 }));
    expect(script).toContain(
      'usermod -u 1500 code\ngroupmod -g 1500 code\nchown -R 1500:1500 /home/code',
    );
  });

  it('quotes git identity and time zone', () => {
    const script = containerSetupScript(
      setup({ gitName: "Jane O'Neil", gitEmail: 'jane@example.com', timezone: 'Europe/Berlin' }),
    );
    expect(script).toContain(`git config --system user.name 'Jane O'\\''Neil'`);
    expect(script).toContain(`git config --system user.email 'jane@example.com'`);
    expect(script).toContain(`ln -sf '/usr/share/zoneinfo/Europe/Berlin' /etc/localtime`);
  });

  it('installs the git guards for the code user, after the identity', () => {
    const script = containerSetupScript(
      setup({ gitName: 'Jane', gitGuards: { protectedBranches: ['main'], lockedIdentity: {} } }),
    );
    const hooksPath = script.indexOf('git config --system core.hooksPath /etc/coi/git-hooks');
    expect(hooksPath).toBeGreaterThan(script.indexOf('git config --system user.name'));
    expect(script).toContain('mount --bind /etc/coi/gitconfig /home/code/.gitconfig');
  });

  it('arms the runtime limit after systemd is up', () => {
    const graceful = containerSetupScript(setup({ maxDuration: '2h' }));
    expect(graceful).toMatch(
      /systemd-run --quiet --unit=coi-max-duration --on-active='2h' \/bin\/systemctl poweroff$/,
    );
    expect(containerSetupScript(setup({ maxDuration: '2h', stopGraceful: false }))).toContain(
      'systemctl poweroff --force',
    );
  });
});

describe('bootLimitHint', () => {
  const low = [{ key: 'fs.inotify.max_user_instances', value: 1048576, current: 128 }];

  it("names the host's inotify limit and the fix when the boot ran out of it", () => {
    const hint = bootLimitHint(
      'systemd is starting\nsystemd[1]: Failed to create inotify object: Too many open files',
      low,
    );
    expect(hint).toContain('fs.inotify.max_user_instances = 128');
    expect(hint).toContain('`coi setup`');
    expect(hint).toContain('`sudo sysctl -w fs.inotify.max_user_instances=1048576`');
  });

  it('says nothing for a boot that failed for another reason', () => {
    expect(bootLimitHint('eth0 has no IPv4 address', low)).toBeUndefined();
  });
});
