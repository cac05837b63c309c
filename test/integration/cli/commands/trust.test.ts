import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxForFile, type CoiSandbox } from '../../../helpers/coi-cli.js';

/**
 * A workspace's .coi/config.toml asking for a host directory outside the workspace: ignored
 * until `coi trust`, honoured after it, ignored again once the file changes or after
 * `coi untrust` — observed inside real containers.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;

let box: CoiSandbox;
sandboxForFile(CONFIG, (b) => (box = b));

const PROBE = 'cat /mnt/outside/marker 2>/dev/null || echo absent';

describe('coi trust', () => {
  it('gates an outside-workspace mount of the workspace config on the approved file content', async () => {
    const ws = box.workspace('trusted-ws');
    const outside = join(box.root, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'marker'), 'from the host\n', { mode: 0o644 });
    const file = join(ws, '.coi', 'config.toml');
    const mount = `[[mounts.default]]\nhost = "${outside}"\ncontainer = "/mnt/outside"\nreadonly = true\n`;
    mkdirSync(join(ws, '.coi'));
    writeFileSync(file, mount);
    const run = () => box.run(['run', PROBE], { cwd: ws });

    const before = await run();
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toBe('absent\n');
    expect(before.stderr).toContain(
      `${file}: mounts.default[0] (host "${outside}") ignored: a workspace file may reach the host only once you approve it; review it, then run \`coi trust\``,
    );

    const trust = await box.run(['trust', '-w', ws], { cwd: box.root });
    expect(trust.code, trust.stderr).toBe(0);
    const fp12 = /^Approved .* \(([0-9a-f]{12})\): mounts\.default\[0\]/.exec(trust.stdout)?.[1];
    expect(fp12, trust.stdout).toBeDefined();
    expect((await box.run(['trust', '--list'])).stdout).toBe(`${fp12}  ${file}\n`);

    const trusted = await run();
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stdout).toBe('from the host\n');
    expect(trusted.stderr).not.toContain('coi trust');

    writeFileSync(file, `${mount}# edited after the approval\n`);
    const changed = await run();
    expect(changed.stdout).toBe('absent\n');
    expect(changed.stderr).toContain(`${file} (changed since you approved it): mounts.default[0]`);

    expect((await box.run(['trust'], { cwd: ws })).code).toBe(0);
    const untrust = await box.run(['untrust'], { cwd: ws });
    expect(untrust).toMatchObject({ code: 0, stdout: `Revoked the approval of ${file}\n` });
    expect((await box.run(['trust', '--list'])).stdout).toBe('');
    const revoked = await run();
    expect(revoked.stdout).toBe('absent\n');
    expect(revoked.stderr).toContain(`${file}: mounts.default[0] (host "${outside}") ignored`);
  });

  it('forwards a host socket the workspace config asks for only while the file is approved', async () => {
    const ws = box.workspace('socket-ws');
    const hostSocket = join(box.root, 'host.sock');
    const server = createServer((conn) => conn.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(hostSocket, resolve));
    try {
      const file = join(ws, '.coi', 'config.toml');
      const sockets = `[[sockets]]\nhost = "${hostSocket}"\ncontainer = "/run/coi-test.sock"\n`;
      mkdirSync(join(ws, '.coi'));
      writeFileSync(file, sockets);
      // Incus makes the proxy device's socket as the container starts: give it a moment.
      const dial =
        "for i in $(seq 20); do python3 -c \"import socket; s = socket.socket(socket.AF_UNIX); s.connect('/run/coi-test.sock'); print(s.recv(64).decode(), end='')\" 2>/dev/null && exit 0; sleep 0.25; done; echo absent";
      const run = () => box.run(['run', dial], { cwd: ws });

      const before = await run();
      expect(before.stdout).toBe('absent\n');
      expect(before.stderr).toContain(`${file}: sockets[0] (host "${hostSocket}") ignored`);

      expect((await box.run(['trust'], { cwd: ws })).code).toBe(0);
      const trusted = await run();
      expect(trusted.code, trusted.stderr).toBe(0);
      expect(trusted.stdout).toBe('hello from the host\n');

      writeFileSync(file, `${sockets}# edited after the approval\n`);
      const changed = await run();
      expect(changed.stdout).toBe('absent\n');
      expect(changed.stderr).toContain(`${file} (changed since you approved it): sockets[0]`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
