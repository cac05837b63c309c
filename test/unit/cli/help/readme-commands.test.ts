import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../../src/cli/program.js';

const README = new URL('../../../../README.md', import.meta.url);

/** One command as a list shows it: its names (name first, then aliases) and subcommands. */
interface Listed {
  names: string[];
  subcommands: string[];
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The rows of the README's `## Commands` table. */
function readmeCommands(markdown: string): Listed[] {
  const section = /^## Commands\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1];
  if (!section) throw new Error('README.md has no "## Commands" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `coi '))
    .map((line) => {
      const [names = '', subcommands = ''] = line.split('|').slice(1);
      return {
        names: codeSpans(names).map((n) => n.replace(/^coi /, '')),
        subcommands: codeSpans(subcommands),
      };
    });
}

/** What `coi --help` lists, with each command's own visible subcommands. */
function helpCommands(program: Command): Listed[] {
  const help = program.createHelp();
  return help.visibleCommands(program).map((c) => ({
    names: [c.name(), ...c.aliases()],
    subcommands: c.commands.filter((s) => help.visibleCommands(c).includes(s)).map((s) => s.name()),
  }));
}

/** A README row for a command, for the failure message: what to paste. */
function row(program: Command, listed: Listed): string {
  const cmd = program.commands.find((c) => c.name() === listed.names[0]);
  const names = listed.names.map((n) => `\`coi ${n}\``).join(', ');
  const subs = listed.subcommands.map((s) => `\`${s}\``).join(' ');
  const what = cmd ? cmd.summary() || cmd.description() : 'display help for command';
  return `| ${names} | ${subs} | ${what} |`;
}

const byName = (list: Listed[]) => [...list].sort((a, b) => a.names[0]!.localeCompare(b.names[0]!));

describe('README command list', () => {
  it('is what `coi --help` lists: the same commands, aliases and subcommands', async () => {
    const program = await buildProgram();
    const inHelp = helpCommands(program);
    const inReadme = readmeCommands(readFileSync(README, 'utf8'));
    const expected = byName(inHelp);
    expect(
      byName(inReadme),
      `README.md "## Commands" should have these rows:\n${expected.map((l) => row(program, l)).join('\n')}`,
    ).toEqual(expected);
  });

  it('reads the rows of the table', () => {
    const md = [
      '## Commands',
      '| command | subcommands | what |',
      '|---|---|---|',
      '| `coi shutdown`, `coi close` | | stop `coi-<x>` |',
      '| `coi file` | `push` `pull` | copy |',
      '## Next',
      '| `coi not-in-section` | | x |',
    ].join('\n');
    expect(readmeCommands(md)).toEqual([
      { names: ['shutdown', 'close'], subcommands: [] },
      { names: ['file'], subcommands: ['push', 'pull'] },
    ]);
  });
});
