import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CoiError } from '../../shared/errors.js';

/** Where `[container] alias` leads: the workspace and the profile its session was launched with. */
export interface AliasEntry {
  workspace: string;
  profile?: string;
}

/** An alias argument: `name`, or `name-N` for slot N of it. */
export interface AliasTarget {
  alias: string;
  entry: AliasEntry;
  slot?: number;
}

/**
 * `~/.coi/aliases.json`, the Go coi's registry: `{ "<alias>": { "workspace": …, "profile"? } }`.
 * A session of a workspace with `[container] alias` registers it, so that `coi shell ALIAS`
 * finds the workspace from any directory. Read synchronously: the CLI asks it while parsing.
 */
export class AliasRegistry {
  readonly file: string;

  constructor(coiDir: string) {
    this.file = join(coiDir, 'aliases.json');
  }

  entries(): Record<string, AliasEntry> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      // No registry yet: no aliases.
      return {};
    }
    if (text.trim() === '') return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return parsed as Record<string, AliasEntry>;
      }
    } catch {
      // Reported below with the way out.
    }
    throw new CoiError(
      `${this.file} is not a JSON object of aliases; fix it or delete it (sessions register their aliases again)`,
      'config',
    );
  }

  lookup(alias: string): AliasEntry | undefined {
    const entry = this.entries()[alias];
    return typeof entry?.workspace === 'string' ? entry : undefined;
  }

  /**
   * `alias` (or `alias-N`) as the command line gives it. An alias that is itself registered wins
   * over reading its tail as a slot.
   */
  resolve(arg: string): AliasTarget | undefined {
    const exact = this.lookup(arg);
    if (exact) return { alias: arg, entry: exact };
    const match = /^(.+)-(\d+)$/.exec(arg);
    const entry = match ? this.lookup(match[1]!) : undefined;
    return match && entry ? { alias: match[1]!, entry, slot: Number(match[2]) } : undefined;
  }

  /**
   * Records alias → workspace (and profile). An alias of another workspace is refused while that
   * workspace still exists; a vanished one is taken over (the checkout moved).
   */
  register(alias: string, workspace: string, profile?: string): void {
    const entries = this.entries();
    const existing = entries[alias];
    if (existing && existing.workspace !== workspace && existsSync(existing.workspace)) {
      throw new CoiError(
        `[container] alias "${alias}" is already registered to ${existing.workspace} ` +
          `(this workspace: ${workspace}); pick another alias, or remove "${alias}" from ${this.file}`,
        'config',
      );
    }
    if (existing?.workspace === workspace && existing.profile === profile) return;
    entries[alias] = { workspace, ...(profile ? { profile } : {}) };
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
