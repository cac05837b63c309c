import type { AllowlistChangeReply } from '../../security/monitor/network-control.js';
import type { NetworkDecision } from '../../security/monitor/network-tail.js';
import { monitorPaths } from '../../security/monitor/paths.js';
import { ask } from '../../security/monitor/singleton.js';
import { CoiError } from '../../shared/errors.js';

/**
 * The network tail of one container and the live allow/block of a name, over the monitor
 * daemon's socket (the daemon runs coi's resolver and egress proxy and reads the nft log).
 */

const NOT_RUNNING =
  'the monitor daemon is not running, so nothing records network decisions; it starts with the next `coi shell`, or run `coi monitor --daemon`';
const TOO_OLD =
  'the monitor daemon running is older than the network tail; stop it (it restarts with the next `coi shell`)';

async function request(coiDir: string, line: string, timeoutMs: number): Promise<unknown> {
  const reply = await ask(monitorPaths(coiDir).socket, line, timeoutMs);
  if (reply === undefined) throw new CoiError(NOT_RUNNING);
  try {
    return JSON.parse(reply);
  } catch {
    throw new CoiError(TOO_OLD);
  }
}

/** The container's recent decisions, newest first. */
export async function readNetworkTail(
  coiDir: string,
  container: string,
): Promise<NetworkDecision[]> {
  const reply = (await request(coiDir, `network ${container}`, 1000)) as {
    decisions?: NetworkDecision[];
  };
  if (!Array.isArray(reply.decisions)) throw new CoiError(TOO_OLD);
  return reply.decisions;
}

/** Allows or blocks `name` for a running allowlist container; resolves with what was done. */
export async function changeSlotAllowlist(
  coiDir: string,
  verb: 'allow' | 'block',
  container: string,
  name: string,
): Promise<string> {
  const reply = (await request(coiDir, `${verb} ${container} ${name}`, 10_000)) as
    AllowlistChangeReply | undefined;
  if (reply && 'ok' in reply) return reply.message;
  throw new CoiError(
    reply && 'error' in reply ? `${verb} ${name} for ${container}: ${reply.error}` : TOO_OLD,
  );
}
