import { Argument, type Command } from '../commander.js';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion-script.js';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description(
      'print a shell completion script (e.g. `coi completion bash > /etc/bash_completion.d/coi`)',
    )
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => {
      process.stdout.write(completionScript(program, shell));
    });
}
