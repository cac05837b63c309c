import { createHash } from 'node:crypto';
import type { GatedEntry } from './gated.js';
import type { LayerSource } from './layer.js';
import { realPath } from './paths.js';
import { readApprovals, type Approvals } from './trust-store.js';

/**
 * Whether a workspace file's gated settings were approved with `coi trust`.
 *
 * The fingerprint of a file is the sha256 of its exact bytes together with where each of its
 * gated host paths resolves (symlinks followed). So any edit of the file — and re-pointing a
 * workspace symlink one of its mounts goes through — needs approval again. Each file is approved
 * on its own: ./.coi/config.toml and every ./.coi/profiles/<name>/config.toml a session uses.
 */

/** Set to 1, true or yes (by the invoking shell, never by a workspace), approves everything. */
export const TRUST_ALL_ENV = 'COI_TRUST_ALL';

export function trustAllFromEnv(env: Record<string, string | undefined>): boolean {
  return ['1', 'true', 'yes'].includes((env[TRUST_ALL_ENV] ?? '').trim().toLowerCase());
}

/** The store's key for a file: absolute, symlinks resolved. */
export function approvalKey(file: string): string {
  return realPath(file);
}

export function fingerprint(fileSha256: string, entries: GatedEntry[]): string {
  const hosts = entries.flatMap((e) => e.hosts.map((h) => `host:${e.key}=${JSON.stringify(h)}`));
  const lines = [`file:${fileSha256}`, ...hosts.sort()];
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** approved: as it is now; changed: approved once, but not as it is now; unapproved: never. */
export type Approval = 'approved' | 'changed' | 'unapproved';

export interface TrustGate {
  /** Whether the file `source` was read from is approved as it is, with these gated settings. */
  approval(source: LayerSource, entries: GatedEntry[]): Approval;
}

/** The gate of `home`'s trust store; the store is read only when a file has gated settings. */
export function trustGate(home: string, env: Record<string, string | undefined>): TrustGate {
  if (trustAllFromEnv(env)) return { approval: () => 'approved' };
  let approvals: Approvals | undefined;
  return {
    approval(source, entries) {
      if (source.file === undefined || source.sha256 === undefined) return 'unapproved';
      approvals ??= readApprovals(home);
      const approved = approvals[approvalKey(source.file)];
      if (approved === undefined) return 'unapproved';
      return approved === fingerprint(source.sha256, entries) ? 'approved' : 'changed';
    },
  };
}
