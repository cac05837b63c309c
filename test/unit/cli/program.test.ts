import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

function pathOf(cmd: Command): string {
  return cmd.parent ? `${pathOf(cmd.parent)} ${cmd.name()}` : cmd.name();
}

describe('the command tree', () => {
  it('gives every command with --format text|json a --json too', async () => {
    const textOrJson = allCommands(await buildProgram()).filter((c) =>
      c.options.some(
        (o) => o.long === '--format' && /\btext\b/.test(`${o.description} ${o.argChoices}`),
      ),
    );
    expect(textOrJson.length).toBeGreaterThan(5);
    const missing = textOrJson.filter((c) => !c.options.some((o) => o.long === '--json'));
    expect(missing.map(pathOf)).toEqual([]);
  });
});
