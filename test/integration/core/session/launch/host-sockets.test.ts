import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxForFile, type CoiSandbox } from '../../../../helpers/coi-cli.js';

/**
 * The ssh agent and `[[sockets]]` forwarded into /run of a real container, fresh and reused:
 * plugged in before boot, systemd's tmpfs on /run would hide them (seen in CI).
 */

let box: CoiSandbox;
let agentSocket: string;
let servers: Server[] = [];

function serve(path: string, greeting: string): Promise<Server> {
  const server = createServer((conn) => conn.end(greeting));
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

const dial = (path: string) =>
  `python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('${path}'); print(s.recv(64).decode(), end='')"`;

sandboxForFile('', (b) => (box = b));

beforeAll(async () => {
  agentSocket = join(box.root, 'agent.sock');
  const forwarded = join(box.root, 'forwarded.sock');
  servers = [await serve(agentSocket, 'agent\n'), await serve(forwarded, 'forwarded\n')];
  box.writeConfigSync(`
[tool]
name = "claude"
binary = "coi-standin"

[container]
persistent = true

[ssh]
forward_agent = true

[[sockets]]
host = "${forwarded}"
container = "/run/coi-forwarded.sock"
`);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('host sockets', () => {
  it('are there from the first command, in a fresh and in a reused container', async () => {
    const ws = box.workspace('ws');
    const probe = `${dial('$SSH_AUTH_SOCK')}; ${dial('/run/coi-forwarded.sock')}`;
    const run = () => box.run(['run', probe], { cwd: ws, env: { SSH_AUTH_SOCK: agentSocket } });

    const fresh = await run();
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toBe('agent\nforwarded\n');

    const reused = await run();
    expect(reused.stderr).toContain('Reusing stopped persistent container');
    expect(reused.code, reused.stderr).toBe(0);
    expect(reused.stdout).toBe('agent\nforwarded\n');
  });
});
