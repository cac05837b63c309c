import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../src/core/config/index.js';
import { probeHostPort } from '../../../../../src/core/host/port-probe.js';
import { launchSession } from '../../../../../src/core/session/launch.js';
import { Incus } from '../../../../../src/incus/index.js';
import { workspaceHash } from '../../../../../src/shared/naming.js';
import { sandboxForFile, type CoiResult, type CoiSandbox } from '../../../../helpers/coi-cli.js';
import { incus, TEST_PREFIX } from '../../../../helpers/testbed.js';

/**
 * `[ports]` on a real container through the CLI: the published ports answer on the host's
 * loopback while the session runs and `coi list` shows them; a pinned port in use stops the
 * launch before anything is created.
 */

const TOOL = `
[tool]
name = "claude"
binary = "coi-standin"
`;

let box: CoiSandbox;
sandboxForFile(TOOL, (b) => (box = b));
const client = Incus.local();
afterAll(() => client.close());

async function listening(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { port: (server.address() as { port: number }).port, server };
}

async function freePort(): Promise<number> {
  const { port, server } = await listening();
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * A one-line HTTP server saying which port it listens on (the image has python3-minimal, without
 * http.server), written to a file so that no `python3 -c` command line looks like a reverse shell.
 */
const SERVER = [
  'import socket, sys',
  'port = int(sys.argv[1])',
  's = socket.socket()',
  's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
  "s.bind(('127.0.0.1', port))",
  's.listen()',
  'while True:',
  '    c, _ = s.accept()',
  '    c.recv(4096)',
  "    body = ('ok:%d' % port).encode()",
  "    c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(body) + body)",
  '    c.close()',
].join('\n');

/** What the host gets from 127.0.0.1:port, retried while the server inside starts. */
async function answerOn(port: number): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        signal: AbortSignal.timeout(2000),
      });
      return `${response.status} ${await response.text()}`;
    } catch (err) {
      if (attempt >= 50) throw err;
      await sleep(200);
    }
  }
}

async function containersOf(workspace: string): Promise<string[]> {
  const names = (await incus().get<string[]>('/1.0/instances')).map((u) => u.split('/').pop()!);
  return names.filter((n) => n.startsWith(`${box.prefix}${workspaceHash(workspace)}-`));
}

interface Seen {
  answers: { web: string; pool: string };
  listJson: CoiResult;
  listText: CoiResult;
  info: CoiResult;
}

describe('[ports]', () => {
  it('publishes a named and a pool port on the host loopback, in the env and in coi list', async () => {
    const ws = box.workspace('ports-live');
    const web = await freePort();
    await box.writeConfig(
      `${TOOL}\n[ports]\npool = 1\n[[ports.map]]\nname = "web"\ncontainer = 8000\nhost = ${web}\n`,
    );
    writeFileSync(join(ws, 'serve.py'), SERVER);
    const script = [
      'python3 /workspace/serve.py 8000 &',
      'python3 /workspace/serve.py "$COI_PORTS" &',
      'echo "PORTS=[$COI_PORTS] WEB=[$COI_PORT_WEB] HOST=[$(hostname)]"',
      'for i in $(seq 600); do [ -e /workspace/done ] && exit 0; sleep 0.1; done; exit 9',
    ].join('\n');
    let seen: Promise<Seen> | undefined;
    let env: RegExpExecArray | null = null;
    const r = await box.run(['run', script], {
      cwd: ws,
      onStdout: (out) => {
        env ??= /PORTS=\[(\d+)\] WEB=\[(\d+)\] HOST=\[([^\]]+)\]\n/.exec(out);
        if (!env || seen) return;
        const [pool, container] = [Number(env[1]), env[3]!];
        seen = (async () => {
          try {
            return {
              answers: { web: await answerOn(web), pool: await answerOn(pool) },
              listJson: await box.run(['list', '--json']),
              listText: await box.run(['list']),
              info: await box.run(['container', 'info', container]),
            };
          } finally {
            writeFileSync(join(ws, 'done'), '');
          }
        })();
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(env, r.stdout).not.toBeNull();
    const [, pool, webEnv, container] = env!;
    expect(webEnv).toBe(String(web));
    // The pool port comes from this workspace's block for slot 1.
    const block = 20000 + (parseInt(workspaceHash(ws).slice(0, 4), 16) % 400) * 100;
    expect(Number(pool)).toBeGreaterThanOrEqual(block);
    expect(Number(pool)).toBeLessThan(block + 10);

    const { answers, listJson, listText, info } = await seen!;
    // The named port reaches 8000 inside; the pool port the same number inside.
    expect(answers).toEqual({ web: '200 ok:8000', pool: `200 ok:${pool}` });
    const listed = (
      JSON.parse(listJson.stdout) as {
        active_containers: { name: string; published_ports: string[] }[];
      }
    ).active_containers.find((c) => c.name === container);
    // Sorted by host port in the listing; which of the two is lower depends on the ports.
    expect([...(listed?.published_ports ?? [])].sort()).toEqual([`web:${web}->8000`, pool].sort());
    expect(listText.stdout).toMatch(new RegExp(`Ports: .*web:${web}->8000`));
    expect(info.stdout).toMatch(new RegExp(`^Ports: .*web:${web}->8000`, 'm'));
    // Deleted with the container: the host port is free again.
    expect(await containersOf(ws)).toEqual([]);
    expect(await probeHostPort('127.0.0.1', web)).toBeUndefined();
  });

  it('refuses a pinned host port in use before launching anything, naming the port and the key', async () => {
    const ws = box.workspace('ports-busy');
    const { port, server } = await listening();
    try {
      await box.writeConfig(
        `${TOOL}\n[[ports.map]]\nname = "web"\ncontainer = 8000\nhost = ${port}\n`,
      );
      const r = await box.run(['run', 'true'], { cwd: ws });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        `~/.coi/config.toml: ports.map[0].host: expected a host port that is free on 127.0.0.1 (for "web"); got ${port}, which is already in use`,
      );
      expect(r.stderr).not.toMatch(/Launching container/);
      expect(await containersOf(ws)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('a reused persistent container publishes this launch’s ports, its own pinned port included', async () => {
    const ws = box.workspace('ports-reuse');
    const [web, api] = [await freePort(), await freePort()];
    const entry = (name: string, host: number) =>
      `[[ports.map]]\nname = "${name}"\ncontainer = 8000\nhost = ${host}\n`;
    const launch = async (ports: string) => {
      await box.writeConfig(`${TOOL}\n[container]\npersistent = true\n${ports}`);
      const loaded = loadConfig({
        cwd: ws,
        home: box.home,
        etcDir: join(box.root, 'etc'),
        env: {},
      });
      const session = await launchSession({
        incus: client,
        loaded,
        workspace: ws,
        cliEnv: {},
        hostEnv: {},
        coiDir: box.coiDir,
        prefix: TEST_PREFIX,
        startTool: false,
      });
      const { value } = await client.instances.get(session.container);
      await (await client.instances.stop(session.container, { force: true })).wait();
      return {
        session,
        devices: Object.keys(value.devices).filter((d) => d.startsWith('coi-port-')),
      };
    };
    const first = await launch(entry('web', web));
    expect(first.devices).toEqual(['coi-port-web']);
    const second = await launch(entry('web', web) + entry('api', api));
    expect(second.session.reused).toBe(true);
    expect(second.session.container).toBe(first.session.container);
    expect(second.devices.sort()).toEqual(['coi-port-api', 'coi-port-web']);
    expect(second.session.env).toMatchObject({
      COI_PORT_WEB: String(web),
      COI_PORT_API: String(api),
    });
  });
});
