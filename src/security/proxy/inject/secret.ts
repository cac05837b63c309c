import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { stringAt } from './json-pointer.js';
import type { SecretSource } from './rules.js';
import { TokenRefresher, type RefreshableFile, type RefreshOutcome } from './token-refresher.js';

const execFileAsync = promisify(execFile);
/** A command's secret is reused this long (a token minted per request would be slow). */
const COMMAND_TTL_MS = 60_000;

/**
 * Reads secrets on the host when a request needs one: a file is read each time (a token the
 * host's own tool refreshes is picked up; an OAuth login is renewed by `refresher` first when it
 * is due), a command's output is kept for a minute. Errors name the source, never a value.
 */
export class SecretReader {
  private readonly commands = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly refresher: TokenRefresher = new TokenRefresher({ now }),
  ) {}

  /** `report` hears of a refresh of the login this read attempted. */
  async read(source: SecretSource, report?: (outcome: RefreshOutcome) => void): Promise<string> {
    if (source.kind === 'value') return source.value;
    if (refreshable(source)) return this.refresher.token(source, report);
    if (source.kind === 'file') return readPointer(source.path, source.pointer);
    const cached = this.commands.get(source.command);
    if (cached && cached.until > this.now()) return cached.value;
    const value = await runCommand(source.command);
    this.commands.set(source.command, { value, until: this.now() + COMMAND_TTL_MS });
    return value;
  }

  /** The server refused `secret` (401): an OAuth login is renewed before its next use. */
  rejected(source: SecretSource, secret: string): void {
    if (refreshable(source)) this.refresher.rejectedToken(source, secret);
  }
}

function refreshable(source: SecretSource): source is RefreshableFile {
  return source.kind === 'file' && source.refresh !== undefined;
}

async function readPointer(path: string, pointer: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  if (pointer === '') return text.trim();
  return stringAt(JSON.parse(text) as unknown, pointer, path);
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
