import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  approveWorkspace,
  listApprovals,
  revokeWorkspace,
} from '../../../../src/core/config/approvals.js';
import { trustAllFromEnv } from '../../../../src/core/config/trust.js';
import { trustStoreFile } from '../../../../src/core/config/trust-store.js';
import { makeHost, type Host } from './fixture.js';

const SOCKET = '[[sockets]]\nhost = "/run/host.sock"\ncontainer = "/run/guest.sock"\n';
const TAIL =
  'ignored: a workspace file may reach the host only once you approve it; ' +
  'review it, then run `coi trust` in this workspace (needed again after every change)';

const configFile = (host: Host) => join(host.workspace, '.coi/config.toml');
const approve = (host: Host) => approveWorkspace({ home: host.home, workspace: host.workspace });

describe('the trust gate on workspace files', () => {
  it('holds back a socket until the file is approved, then applies it', () => {
    const host = makeHost();
    const file = host.write(configFile(host), `${SOCKET}[network]\nrefresh_interval_minutes = 7\n`);
    const before = host.load();
    expect(before.config.sockets).toEqual([]);
    expect(before.config.network.refresh_interval_minutes).toBe(7);
    expect(before.warnings.map((w) => w.message)).toEqual([
      `${file}: sockets[0] (host "/run/host.sock") ${TAIL}`,
    ]);

    expect(approve(host).map((f) => f.path)).toEqual([file]);
    const after = host.load();
    expect(after.warnings).toEqual([]);
    expect(after.config.sockets).toEqual([
      { host: '/run/host.sock', container: '/run/guest.sock' },
    ]);
    expect(after.origins['sockets']?.source).toBe(file);
  });

  it('needs approval again after any change of the file, and says it changed', () => {
    const host = makeHost();
    const file = host.write(configFile(host), SOCKET);
    approve(host);
    host.write(configFile(host), `${SOCKET}# a comment only\n`);
    const { config, warnings } = host.load();
    expect(config.sockets).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      `${file} (changed since you approved it): sockets[0] (host "/run/host.sock") ${TAIL}`,
    ]);
  });

  it('needs approval again when a symlink a mount goes through is re-pointed', () => {
    const host = makeHost();
    const first = host.write(join(host.root, 'outside/one/marker'), '');
    host.write(join(host.root, 'outside/two/marker'), '');
    const link = join(host.workspace, 'data');
    symlinkSync(join(first, '..'), link);
    host.write(configFile(host), '[[mounts.default]]\nhost = "data"\ncontainer = "/data"\n');
    approve(host);
    expect(host.load().config.mounts.default.map((m) => m.container)).toEqual(['/data']);
    rmSync(link);
    symlinkSync(join(host.root, 'outside/two'), link);
    const { config, warnings } = host.load();
    expect(config.mounts.default).toEqual([]);
    expect(warnings[0]!.message).toMatch(/\(changed since you approved it\): mounts\.default\[0\]/);
  });

  it('names the gated settings of the config and of a workspace profile in one warning', () => {
    const host = makeHost();
    const file = host.write(configFile(host), SOCKET);
    const profile = host.write(
      join(host.workspace, '.coi/profiles/dev/config.toml'),
      '[[credentials]]\nhost = "~/.aws"\ncontainer = "~/.aws"\n[[mounts.default]]\nhost = "/srv"\ncontainer = "/srv"\n',
    );
    const before = host.load({ profile: 'dev' });
    expect(before.warnings).toHaveLength(1);
    expect(before.warnings[0]).toEqual({
      file,
      key: 'sockets[0], mounts.default[0], credentials[0]',
      message:
        `${file}: sockets[0] (host "/run/host.sock"); ` +
        `${profile}: mounts.default[0] (host "/srv"), credentials[0] (host "~/.aws") ${TAIL}`,
    });
    expect(approve(host).map((f) => f.path)).toEqual([file, profile]);
    const after = host.load({ profile: 'dev' });
    expect(after.warnings).toEqual([]);
    expect(after.config.credentials.map((c) => c.container)).toEqual(['~/.aws']);
    expect(after.config.mounts.default.map((m) => m.container)).toEqual(['/srv']);
  });

  it('keeps the always-stripped keys stripped whatever the approval', () => {
    const host = makeHost();
    host.write(configFile(host), `${SOCKET}[network]\nmode = "open"\n`);
    approve(host);
    const { config, warnings } = host.load();
    expect(config.sockets).toHaveLength(1);
    expect(config.network.mode).toBe('restricted');
    expect(warnings.map((w) => w.key)).toEqual(['network.mode']);
    expect(host.load({ env: { COI_TRUST_ALL: '1' } }).config.network.mode).toBe('restricted');
  });

  it('approves everything with COI_TRUST_ALL=1, true or yes, without reading the store', () => {
    const host = makeHost();
    host.write(configFile(host), SOCKET);
    host.write(trustStoreFile(host.home), 'not toml [');
    for (const value of ['1', 'true', 'YES', ' yes ']) {
      const { config, warnings } = host.load({ env: { COI_TRUST_ALL: value } });
      expect(config.sockets, value).toHaveLength(1);
      expect(warnings).toEqual([]);
    }
    expect(
      ['0', 'no', '', 'false', 'on'].filter((v) => trustAllFromEnv({ COI_TRUST_ALL: v })),
    ).toEqual([]);
    expect(host.loadError()).toMatch(/^~\/\.coi\/trust\.toml: approvals: /);
  });

  it('never reads the store for workspaces without gated settings', () => {
    const host = makeHost();
    host.write(configFile(host), '[[mounts.default]]\nhost = "data"\ncontainer = "/data"\n');
    host.write(trustStoreFile(host.home), 'not toml [');
    expect(host.load().warnings).toEqual([]);
  });
});

describe('coi trust, untrust and --list', () => {
  it('approves nothing where no workspace file asks for anything gated', () => {
    const host = makeHost();
    host.write(configFile(host), '[network]\nrefresh_interval_minutes = 7\n');
    expect(approve(host)).toEqual([]);
    expect(listApprovals(host.home)).toEqual([]);
  });

  it('lists approvals by path and revokes those of one workspace only', () => {
    const host = makeHost();
    const other = join(host.root, 'work/other');
    mkdirSync(other);
    const mine = host.write(configFile(host), SOCKET);
    const theirs = host.write(join(other, '.coi/config.toml'), SOCKET);
    approve(host);
    approveWorkspace({ home: host.home, workspace: other });
    const listed = listApprovals(host.home);
    expect(listed.map((a) => a.path)).toEqual([theirs, mine]);
    expect(listed.every((a) => /^[0-9a-f]{64}$/.test(a.fingerprint))).toBe(true);
    // The same bytes in two files: the path tells them apart, the fingerprint is the content's.
    expect(listed[0]!.fingerprint).toBe(listed[1]!.fingerprint);

    expect(revokeWorkspace({ home: host.home, workspace: host.workspace })).toEqual([mine]);
    expect(listApprovals(host.home).map((a) => a.path)).toEqual([theirs]);
    expect(host.load().config.sockets).toEqual([]);
    expect(revokeWorkspace({ home: host.home, workspace: host.workspace })).toEqual([]);
  });

  it('refuses to approve a file that is not valid config, naming file and key', () => {
    const host = makeHost();
    const file = host.write(configFile(host), `${SOCKET}[network]\nmode = "wide"\n`);
    expect(() => approve(host)).toThrow(`${file}: network.mode: expected one of`);
    expect(listApprovals(host.home)).toEqual([]);
  });
});
