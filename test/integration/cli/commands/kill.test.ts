import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';

let box: CoiSandbox;

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox('');
});

afterAll(async () => {
  await box?.remove();
});

describe('bulk commands with nothing to act on', () => {
  it('say so: No containers to Kill / Shutdown / persist', async () => {
    // A prefix no container has.
    const env = { COI_CONTAINER_PREFIX: `${box.prefix}none-` };
    const cases = [
      [['kill', '--all'], 'No containers to Kill\n'],
      [['kill', '--all', '--force'], 'No containers to Kill\n'],
      [['shutdown', '--all', '--force'], 'No containers to Shutdown\n'],
      [['persist', '--all'], 'No containers to persist\n'],
    ] as const;
    for (const [args, said] of cases) {
      const r = await box.run([...args], { env });
      expect(r, args.join(' ')).toMatchObject({ code: 0, stderr: said });
    }
  });
});
