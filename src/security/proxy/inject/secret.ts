import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { SecretSource } from './rules.js';

const execFileAsync = promisify(execFile);
/** A command's secret is reused this long (a token minted per request would be slow). */
const COMMAND_TTL_MS = 60_000;

/**
 * Reads secrets on the host when a request needs one: a file is read each time (a token the
 * host's own tool refreshes is picked up), a command's output is kept for a minute. Errors name
 * the source, never a value.
 */
export class SecretReader {
  private readonly commands = new Map<string, { value: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async read(source: SecretSource): Promise<string> {
    if (source.kind === 'value') return source.value;
    if (source.kind === 'file') return readPointer(source.path, source.pointer);
    const cached = this.commands.get(source.command);
    if (cached && cached.until > this.now()) return cached.value;
    const value = await runCommand(source.command);
    this.commands.set(source.command, { value, until: this.now() + COMMAND_TTL_MS });
    return value;
  }
}

async function readPointer(path: string, pointer: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  if (pointer === '') return text.trim();
  const value = resolvePointer(JSON.parse(text) as unknown, pointer);
  if (typeof value !== 'string' || value === '')
    throw new Error(`${path} has no string at JSON pointer ${pointer}`);
  return value;
}

/** RFC 6901: `/a/b~1c/0`. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

async function runCommand(command: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('/bin/sh', ['-c', command], { timeout: 30_000 });
    const value = stdout.trim();
    if (value === '') throw new Error('it printed nothing');
    return value;
  } catch (err) {
    throw new Error(`\`${command}\` failed (${(err as Error).message.split('\n')[0]})`, {
      cause: err,
    });
  }
}
