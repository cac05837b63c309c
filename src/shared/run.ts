import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CoiError } from './errors.js';

export interface RunOptions {
  /** Append stdout and stderr here. */
  log?: WriteStream;
  /** Called for every output line (stdout and stderr). */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
}

/** A host command that failed; coi's own exit code is the CLI's business, not this status. */
export class CommandError extends CoiError {
  constructor(
    readonly command: string,
    /** The command's exit status; null when a signal ended it. */
    readonly exitCode: number | null,
    readonly tail: string,
  ) {
    super(`\`${command}\` failed (exit ${exitCode ?? 'signal'})${tail ? `:\n${tail}` : ''}`);
  }
}

/** Runs a host command to completion; a non-zero exit throws with the last lines of output. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let out = '';
    const collect = (stream: NodeJS.ReadableStream, keep: boolean) => {
      createInterface({ input: stream }).on('line', (line) => {
        if (keep) out += `${line}\n`;
        lines.push(line);
        if (lines.length > 30) lines.shift();
        opts.log?.write(`${line}\n`);
        opts.onLine?.(line);
      });
    };
    collect(child.stdout!, true);
    collect(child.stderr!, false);
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
    child.on('error', (err) =>
      reject(new CommandError([cmd, ...args].join(' '), null, err.message)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new CommandError([cmd, ...args].join(' '), code, lines.join('\n')));
    });
  });
}

export function openLog(path: string): WriteStream {
  return createWriteStream(path, { flags: 'a' });
}
