import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { allCommands, commandPath, renderExamples } from '../../../../src/cli/help/apply-help.js';
import { COMMAND_HELP } from '../../../../src/cli/help/examples.js';
import { buildProgram } from '../../../../src/cli/program.js';

/** The commands a user can see in `--help` (hidden ones are internal). */
const visible = (root: Command) =>
  allCommands(root).filter((c) => !(c as unknown as { _hidden: boolean })._hidden);

/**
 * The words a shell would pass to coi for one example line: quotes removed, leading `VAR=value`
 * assignments dropped, and nothing from the first unquoted `|`, `&&`, `||`, `;` or `>` on.
 */
function coiWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'" || ch === '"') {
      const end = line.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unbalanced ${ch} in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (word === undefined && '|&;>'.includes(ch)) {
      break;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined && !'|&;>'.includes(word[0]!)) words.push(word);
  while (words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) words.shift();
  if (words.shift() !== 'coi') throw new Error(`not a coi invocation: ${line}`);
  return words;
}

/**
 * Parses the words with the real command tree, every action replaced by one that records which
 * command would run. Unknown commands or options, missing or excess arguments and bad choices
 * throw, as they would for a user.
 */
async function commandRunBy(words: string[]): Promise<string> {
  const program = await buildProgram();
  let ran: Command | undefined;
  for (const cmd of allCommands(program)) {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    if (cmd !== program) cmd.action((...args: unknown[]) => void (ran = args.at(-1) as Command));
  }
  await program.parseAsync(words, { from: 'user' });
  if (!ran) throw new Error('no command ran');
  return commandPath(ran);
}

function helpOf(cmd: Command): string {
  let out = '';
  cmd.configureOutput({ writeOut: (s) => void (out += s) });
  cmd.outputHelp();
  return out;
}

const program = await buildProgram();

describe('--help of every command', () => {
  const commands = visible(program);

  it.each(commands.map((c) => [commandPath(c), c] as const))(
    '%s says what it does and shows 2-4 examples',
    (path, cmd) => {
      expect(cmd.description().trim().length, `${path} has no description`).toBeGreaterThan(10);
      const help = COMMAND_HELP[path];
      expect(help, `${path} has no entry in src/cli/help/examples.ts`).toBeDefined();
      expect(help!.examples.length).toBeGreaterThanOrEqual(2);
      expect(help!.examples.length).toBeLessThanOrEqual(4);
      const text = helpOf(cmd);
      expect(text).toMatch(new RegExp(`^Usage: ${path}[ |]`));
      expect(text).toContain('\nExamples:\n');
      for (const [run] of help!.examples) expect(text).toContain(`  ${run}`);
    },
  );

  it('says what ephemeral and persistent mean where it matters', () => {
    for (const path of ['coi shell', 'coi run', 'coi persist']) {
      const cmd = commands.find((c) => commandPath(c) === path)!;
      expect(helpOf(cmd), path).toMatch(/ephemeral/i);
      expect(helpOf(cmd), path).toMatch(/persistent/i);
      // Only its own help: command lists and shell completion keep the one-liner.
      expect(helpOf(cmd)).toContain(COMMAND_HELP[path]!.details!.slice(0, 30));
      expect(cmd.description()).not.toContain('\n');
    }
    // The parent's command list keeps the one-liner.
    expect(helpOf(program)).toMatch(/\n {2}shell \[options\] \[alias\] +start an agent/);
  });
});

describe('every example is a real invocation', () => {
  const inTree = new Set(allCommands(program).map(commandPath));
  const examples = Object.entries(COMMAND_HELP).flatMap(([path, help]) =>
    help.examples.map(([run]) => [path, run] as const),
  );

  it.each(examples.filter(([path]) => inTree.has(path)))(
    '%s: %s parses and runs that command',
    async (path, run) => {
      const ran = await commandRunBy(coiWords(run));
      expect(ran === path || ran.startsWith(`${path} `), `${run} runs ${ran}`).toBe(true);
    },
  );

  // Commands other parts of the command line are still adding: at least their path.
  it.each(examples.filter(([path]) => !inTree.has(path)))('%s: %s names it', (path, run) => {
    expect(['coi', ...coiWords(run)].join(' ').startsWith(path)).toBe(true);
  });

  it('reads example lines the way a shell does', () => {
    expect(coiWords(`EDITOR=nano coi profile edit dev`)).toEqual(['profile', 'edit', 'dev']);
    expect(coiWords(`coi run -- sh -c "exit 42" | tee x`)).toEqual([
      'run',
      '--',
      'sh',
      '-c',
      'exit 42',
    ]);
    expect(coiWords(`coi completion bash > /etc/x`)).toEqual(['completion', 'bash']);
    expect(coiWords(`coi image exists a || coi build`)).toEqual(['image', 'exists', 'a']);
  });

  it('refuses an invocation the tree does not take', async () => {
    await expect(commandRunBy(['snapshot', 'create', '--no-such-flag'])).rejects.toThrow(
      /unknown option/,
    );
    await expect(commandRunBy(['image', 'delete'])).rejects.toThrow(/missing required argument/);
    await expect(commandRunBy(['completion', 'tcsh'])).rejects.toThrow(/Allowed choices/);
  });
});

describe('renderExamples', () => {
  it('aligns the comments after the longest invocation that has one', () => {
    expect(renderExamples([['coi a', 'one'], ['coi bbb', 'two'], ['coi a-very-long-one']])).toBe(
      '\nExamples:\n  coi a    # one\n  coi bbb  # two\n  coi a-very-long-one\n',
    );
  });

  it('puts each comment above its invocation when aligned lines would pass 80 columns', () => {
    const long = `coi ${'x'.repeat(60)}`;
    expect(
      renderExamples([
        ['coi a', 'one'],
        [long, 'two, a longer comment'],
      ]),
    ).toBe(`\nExamples:\n  # one\n  coi a\n  # two, a longer comment\n  ${long}\n`);
  });
});
