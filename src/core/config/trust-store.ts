import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify, TomlError } from 'smol-toml';
import { ConfigError } from './errors.js';
import { coiHome, displayPath } from './paths.js';

/**
 * ~/.coi/trust.toml, as the Go coi writes it: `[approvals]`, one `"<file>" = "<sha256>"` per
 * approved workspace file (its absolute, symlink-resolved path and the fingerprint approved).
 * It lives in the user's home, outside every workspace, so no workspace can approve itself.
 */

export type Approvals = Record<string, string>;

export function trustStoreFile(home: string): string {
  return join(coiHome(home), 'trust.toml');
}

/** The approvals; none when the file does not exist. A damaged file is a config error. */
export function readApprovals(home: string): Approvals {
  const file = trustStoreFile(home);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw damaged(home, (error as Error).message);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw damaged(home, error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''));
  }
  const approvals = doc.approvals ?? {};
  if (typeof approvals !== 'object' || Array.isArray(approvals))
    throw damaged(home, '[approvals] is not a table');
  const entries = Object.entries(approvals as Record<string, unknown>);
  const bad = entries.find(([, fingerprint]) => typeof fingerprint !== 'string');
  if (bad) throw damaged(home, `the approval of ${JSON.stringify(bad[0])} is not a string`);
  return Object.fromEntries(entries) as Approvals;
}

/** Replaces the approvals at once (written to a temporary file, then renamed over the store). */
export function writeApprovals(home: string, approvals: Approvals): void {
  const file = trustStoreFile(home);
  mkdirSync(dirname(file), { recursive: true });
  const sorted = Object.fromEntries(
    Object.entries(approvals).sort(([a], [b]) => a.localeCompare(b)),
  );
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${stringify({ approvals: sorted })}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

function damaged(home: string, reason: string): ConfigError {
  const shown = displayPath(trustStoreFile(home), home);
  return new ConfigError([
    {
      file: shown,
      key: 'approvals',
      expected: 'a TOML file with an [approvals] table of "<file>" = "<sha256>" lines',
      got: reason,
      hint: `fix it, or delete ${shown} and approve your workspaces again with \`coi trust\``,
    },
  ]);
}
