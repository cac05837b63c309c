import { createInterface } from 'node:readline/promises';
import { usageError } from './errors.js';

/**
 * Asks before a destructive bulk action. `--force` skips the question; without a terminal on
 * stdin there is nobody to ask, so it refuses at once instead of hanging.
 */
export async function confirmOrForce(
  question: string,
  force: boolean | undefined,
): Promise<boolean> {
  if (force) return true;
  if (!process.stdin.isTTY) {
    throw usageError(`${question} — refusing without --force because stdin is not a terminal`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
