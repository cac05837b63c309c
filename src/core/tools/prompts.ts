import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { PROMPT_NAME } from '../config/schema.js';
import { CoiError } from '../../shared/errors.js';

/** Where a headless run's prompt comes from: `--prompt`, `--prompt-file` or `--prompt-name`. */
export type PromptSource =
  { kind: 'text'; text: string } | { kind: 'file'; path: string } | { kind: 'name'; name: string };

/** The prompt's text; a missing, unreadable or empty one is the command line's fault (exit 2). */
export async function readPrompt(
  source: PromptSource,
  config: Config,
  coiDir: string,
): Promise<string> {
  const text =
    source.kind === 'text'
      ? source.text
      : source.kind === 'file'
        ? await readPromptFile(source.path, `--prompt-file ${source.path}`)
        : await namedPrompt(source.name, config, coiDir);
  if (!text.trim())
    throw new CoiError(`${describe(source)} is empty: give the agent a prompt`, 'usage');
  return text;
}

/** `[prompts] NAME` in the config, else ~/.coi/prompts/NAME.md. */
async function namedPrompt(name: string, config: Config, coiDir: string): Promise<string> {
  if (!PROMPT_NAME.test(name)) {
    throw new CoiError(
      `--prompt-name "${name}" is not a prompt name: use letters, digits, ".", "_" and "-"`,
      'usage',
    );
  }
  const configured = config.prompts[name];
  if (configured !== undefined) return configured;
  const file = join(coiDir, 'prompts', `${name}.md`);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(file, err);
  }
  const known = [...Object.keys(config.prompts), ...(await promptFiles(coiDir))].sort();
  throw new CoiError(
    `no prompt named "${name}": define [prompts] ${name} = "…" in ~/.coi/config.toml or write ${file}` +
      (known.length ? ` (known: ${[...new Set(known)].join(', ')})` : ''),
    'usage',
  );
}

async function readPromptFile(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw unreadable(shown, err);
  }
}

async function promptFiles(coiDir: string): Promise<string[]> {
  const names = await readdir(join(coiDir, 'prompts')).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3));
}

function unreadable(what: string, err: unknown): CoiError {
  const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new CoiError(`cannot read ${what} (${reason}): check the path`, 'usage');
}

function describe(source: PromptSource): string {
  if (source.kind === 'text') return '--prompt';
  return source.kind === 'file' ? `--prompt-file ${source.path}` : `prompt "${source.name}"`;
}
