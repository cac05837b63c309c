import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../../../src/cli/completion-script.js';
import { buildProgram } from '../../../src/cli/program.js';

const program = await buildProgram();

function bashComplete(words: string[]): string[] {
  const script = completionScript(program, 'bash');
  const line = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', [
    '-c',
    `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _coi_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  return out.toString().split('\n').filter(Boolean);
}

describe('coi completion', () => {
  it('completes commands, subcommands and options from the live command tree', () => {
    expect(bashComplete(['coi', 'snap'])).toEqual(['snapshot']);
    expect(bashComplete(['coi', 'snapshot', 'cr'])).toEqual(['create']);
    expect(bashComplete(['coi', 'snapshot', 'create', '--st'])).toEqual(['--stateful']);
    expect(bashComplete(['coi', 'container', 'exec', 'box', '--cap'])).toEqual(['--capture']);
    expect(bashComplete(['coi', 'h'])).toEqual(['hosts', 'health']);
  });

  it('lists every top-level command for zsh and fish', () => {
    const zsh = completionScript(program, 'zsh');
    const fish = completionScript(program, 'fish');
    for (const cmd of program.commands.map((c) => c.name())) {
      expect(zsh).toContain(`'${cmd}:`);
      expect(fish).toContain(`-a '${cmd}'`);
    }
    expect(zsh.startsWith('#compdef coi')).toBe(true);
  });
});
