import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMonitorDaemon } from '../../../../src/security/monitor/ensure.js';
import { ask } from '../../../../src/security/monitor/singleton.js';
import { ANY_NAME_PORTS } from '../../../../src/security/nft/proxy.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { GATEWAY } from '../../../helpers/testbed.js';

/**
 * `coi health` on a real monitor daemon (`coi monitor --daemon`) whose egress proxy cannot bind
 * its HTTPS any-name port: another process holds it before the daemon starts.
 */

let box: CoiSandbox;
let holder: Server;

interface Check {
  name: string;
  status: string;
  message: string;
  details?: Record<string, unknown>;
}

const socket = () => join(box.coiDir, 'monitor', 'monitor.sock');
const daemonStatus = async () =>
  JSON.parse((await ask(socket(), 'status'))!) as {
    pid: number;
    egressProxy?: { anyNameListeners?: unknown };
  };
/** Started, and its egress proxy too (the daemon answers before the proxy has bound its ports). */
async function startDaemon(): Promise<void> {
  await ensureMonitorDaemon({
    coiDir: box.coiDir,
    env: { ...process.env, HOME: box.home, COI_CONTAINER_PREFIX: box.prefix },
    timeoutMs: 20_000,
  });
  for (let i = 0; i < 100; i += 1) {
    if ((await daemonStatus()).egressProxy?.anyNameListeners) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the daemon reports no any-name listeners within 10 s');
}

/** Listens where the proxy's any-name HTTPS port is, as another program would. */
function hold(port: number): Promise<Server> {
  const server = createServer((s) => s.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, GATEWAY, () => resolve(server));
  });
}

beforeAll(async () => {
  ensureBuilt();
  box = new CoiSandbox('');
  holder = await hold(ANY_NAME_PORTS[443]);
  await startDaemon();
}, 60_000);

afterAll(async () => {
  holder?.close();
  await box?.remove();
});

describe('coi health: the egress proxy without its any-name port', () => {
  it('warns in JSON, naming the port, why, and what it breaks', async () => {
    const { pid } = await daemonStatus();
    const r = await box.run(['health', '--json']);
    const check = (JSON.parse(r.stdout) as { checks: Record<string, Check> }).checks.egress_proxy;
    expect(check).toMatchObject({
      name: 'Egress proxy',
      status: 'warning',
      message: expect.stringMatching(
        new RegExp(
          `; but it does not listen on its any-name port\\(s\\) ${ANY_NAME_PORTS[443]} \\(their port 443: ` +
            `listen EADDRINUSE.*\\), so credential injection in open/restricted mode does not work: ` +
            'inject_in_open containers launched now would have no HTTPS egress; free the port\\(s\\), ' +
            'then restart the monitor daemon$',
        ),
      ),
      details: {
        state: 'serving',
        pid,
        anyNameListeners: [
          { for: 80, port: ANY_NAME_PORTS[80] },
          { for: 443, port: ANY_NAME_PORTS[443], error: expect.stringContaining('EADDRINUSE') },
        ],
      },
    });
  });

  it('shows it in the text report, and --fix names what to do', async () => {
    const { pid } = await daemonStatus();
    const r = await box.run(['health', '--fix', '--dry-run']);
    expect(r.stdout).toMatch(
      new RegExp(
        `\\[WARN\\] Egress proxy\\s+: serving .* any-name port\\(s\\) ${ANY_NAME_PORTS[443]} `,
      ),
    );
    expect(r.stdout).toContain(
      `[MANUAL] Egress proxy: free port(s) ${ANY_NAME_PORTS[443]} on the bridge gateway ` +
        `(\`ss -ltnp 'sport = :${ANY_NAME_PORTS[443]}'\` shows what holds them), then restart the ` +
        `monitor daemon: \`kill ${pid}\`, then \`coi monitor --daemon &\``,
    );
  });

  it('holds both once the port is free and the daemon restarted', async () => {
    const { pid } = await daemonStatus();
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && (await ask(socket(), 'ping', 200)) !== undefined; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await startDaemon();
    expect((await daemonStatus()).egressProxy?.anyNameListeners).toEqual([
      { for: 80, port: ANY_NAME_PORTS[80] },
      { for: 443, port: ANY_NAME_PORTS[443] },
    ]);
  });
});
