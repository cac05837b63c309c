import { CoiError } from '../../shared/errors.js';
import { run } from '../../shared/run.js';
import { containerChain, containerSet, TABLE } from '../nft/names.js';
import { renderHosts, type HostEntry } from '../nft/index.js';
import { applyBatch } from './nft-run.js';

/**
 * Makes `hosts` the named hosts a running container may reach, in one batch. Its chain must be in
 * and refer to the host sets, or the entries would silently reach nothing.
 */
export async function applyHosts(
  container: string,
  ip: string,
  hosts: readonly HostEntry[],
): Promise<void> {
  const chain = containerChain(ip);
  let rules: string;
  try {
    rules = await run('nft', ['list', 'chain', ...TABLE.split(' '), chain]);
  } catch (err) {
    if (!/No such file or directory/.test((err as Error).message)) throw err;
    throw new CoiError(
      `${container} has no network rules in coi's firewall (chain ${chain}): is it running? ` +
        'Start its session first (`coi shell`, `coi attach`)',
    );
  }
  if (!rules.includes(`@${containerSet('hosts', ip)}`))
    throw new CoiError(
      `${container}'s network rules predate named hosts; end its session and start it again ` +
        'to use `coi hosts`',
    );
  await applyBatch(renderHosts(ip, hosts));
}
