import { run } from '../../shared/run.js';
import { TABLE } from '../nft/names.js';

/** Applies one batch with `nft -f -`: the kernel takes it whole or not at all. */
export async function applyBatch(batch: string): Promise<void> {
  if (batch === '') return;
  await run('nft', ['-f', '-'], { stdin: batch });
}

/** `nft -j list table inet coi`, or undefined when coi's table does not exist. */
export async function listCoiTable(): Promise<string | undefined> {
  try {
    return await run('nft', ['-j', 'list', 'table', ...TABLE.split(' ')]);
  } catch (err) {
    if (/No such file or directory/.test((err as Error).message)) return undefined;
    throw err;
  }
}
