import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigOverrides } from '../../../../src/core/config/index.js';
import { endSession } from '../../../../src/core/session/end.js';
import { launchSession, type LaunchRequest } from '../../../../src/core/session/launch.js';
import { Incus } from '../../../../src/incus/index.js';
import { NetworksApi } from '../../../../src/incus/networks.js';
import { instanceAddresses, listCoiTable } from '../../../../src/security/network/index.js';
import { parseTableListing } from '../../../../src/security/nft/index.js';
import { CoiSandbox } from '../../../helpers/coi-cli.js';
import {
  BRIDGE,
  deleteTestContainer,
  incus as client,
  incusApis,
  TEST_PREFIX,
} from '../../../helpers/testbed.js';

/**
 * A launch whose last step fails (the tool's start in tmux, made to fail through `onStep`) rolls
 * back everything the earlier steps set up: read from Incus, nft, the lock directory and the
 * workspace's file attributes, both before the failure (so the checks after it can fail) and
 * after it.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[monitoring]
enabled = false

[security]
host_immutable = true
`;

let box: CoiSandbox;
let incus: Incus;
const containers = new Set<string>();

beforeAll(() => {
  box = new CoiSandbox(CONFIG);
  incus = Incus.local();
});

afterAll(async () => {
  for (const name of containers) await deleteTestContainer(name);
  await box?.remove();
  await incus?.close();
});

const locksDir = () => join(box.coiDir, 'locks');

/** Whether the protected `.git/hooks` of a workspace is `chattr +i` on the host. */
function immutable(workspace: string): boolean {
  return /^\S*i/.test(execFileSync('lsattr', ['-d', join(workspace, '.git/hooks')]).toString());
}

function ruleHeld(ip: string, listing: string | undefined): boolean {
  return listing !== undefined && parseTableListing(listing).containers.has(ip);
}

interface Held {
  container?: string;
  ip?: string;
  /** What the session held when its last step was reached. */
  atLastStep?: { lockRecord: boolean; immutable: boolean; rule: boolean };
}

const INJECTED = 'injected: the tool did not start';

/**
 * A launch of `workspace` that fails when it is about to start the tool in tmux, after recording
 * what the session held at that moment (synchronously: `onStep` cannot wait).
 */
async function failingLaunch(workspace: string, overrides: ConfigOverrides = {}): Promise<Held> {
  const held: Held = {};
  const onStep = (message: string) => {
    // The last name tried is the one created (a name taken meanwhile moves on to the next slot).
    const named = /^(?:Launching container|Starting persistent container) ([\w-]+)/.exec(
      message,
    )?.[1];
    if (named) containers.add((held.container = named));
    held.ip ??= /network rules \((\S+)\)\.\.\.$/.exec(message)?.[1];
    if (!/^Starting \S+ in tmux\.\.\.$/.test(message)) return;
    const table = execFileSync('nft', ['-j', 'list', 'table', 'inet', 'coi']).toString();
    held.atLastStep = {
      lockRecord: existsSync(join(locksDir(), `${held.container}.json`)),
      immutable: immutable(workspace),
      rule: !!held.ip && ruleHeld(held.ip, table),
    };
    throw new Error(INJECTED);
  };
  const error = await launchSession(
    request(workspace, overrides, { startTool: true, onStep }),
  ).then(
    () => undefined,
    (err: unknown) => err,
  );
  // The step's own error, and nothing appended: every undo succeeded.
  expect((error as Error | undefined)?.message).toBe(INJECTED);
  expect(held.atLastStep).toEqual({ lockRecord: true, immutable: true, rule: true });
  return held;
}

function request(
  workspace: string,
  overrides: ConfigOverrides,
  rest: Pick<LaunchRequest, 'startTool' | 'onStep'>,
): LaunchRequest {
  return {
    incus,
    loaded: loadConfig({
      cwd: workspace,
      home: box.home,
      etcDir: join(box.root, 'etc'),
      env: {},
      overrides,
    }),
    workspace,
    cliEnv: {},
    hostEnv: {},
    coiDir: box.coiDir,
    prefix: TEST_PREFIX,
    ...rest,
  };
}

/** Rules, host lock and the workspace's immutability are gone. */
async function expectReleased(workspace: string, held: Held): Promise<void> {
  expect(ruleHeld(held.ip!, await listCoiTable())).toBe(false);
  expect(existsSync(join(locksDir(), `${held.container}.json`))).toBe(false);
  expect(immutable(workspace)).toBe(false);
}

describe('launch rollback', () => {
  it('a fresh container: deleted, its rules, locks and address released', async () => {
    const ws = box.workspace('fresh');
    const held = await failingLaunch(ws);
    expect(await incus.instances.exists(held.container!)).toBe(false);
    await expectReleased(ws, held);
    // No lock of any kind is left: record, slot pick, address pick.
    expect(readdirSync(locksDir())).toEqual([]);
    // Free for the next launch: no instance holds or pins it, and no lease is kept for it.
    expect((await instanceAddresses(incusApis())).has(held.ip!)).toBe(false);
    const networks = new NetworksApi(client());
    let leased = true;
    for (let i = 0; i < 50 && leased; i++) {
      leased = (await networks.leases(BRIDGE)).some((l) => l.address === held.ip);
      if (leased) await sleep(100);
    }
    expect(leased, `${held.ip} is still leased on ${BRIDGE}`).toBe(false);
  }, 240_000);

  it('a reused persistent container: stopped and kept, its rules and locks released', async () => {
    const ws = box.workspace('persistent');
    const persistent = { container: { persistent: true } };
    const first = await launchSession(request(ws, persistent, { startTool: false }));
    containers.add(first.container);
    await endSession(incus, first.container, {
      coiDir: box.coiDir,
      save: false,
      keepPersistent: true,
    });

    const held = await failingLaunch(ws, persistent);
    expect(held.container).toBe(first.container);
    expect((await incus.instances.get(held.container!)).value.status).toBe('Stopped');
    await expectReleased(ws, held);
  }, 240_000);
});
