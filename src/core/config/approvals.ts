import { join } from 'node:path';
import { ConfigError, type ConfigIssue } from './errors.js';
import { gatedEntries, type GatedEntry } from './gated.js';
import { readLayerFile, type LayerContext } from './layer.js';
import { displayPath, isInside, realPath } from './paths.js';
import { listProfiles } from './profiles.js';
import { layerSchema, profileSchema, type ConfigLayer } from './schema.js';
import { approvalKey, fingerprint } from './trust.js';
import { readApprovals, writeApprovals } from './trust-store.js';

/** `coi trust`, `coi untrust` and `coi trust --list` on ~/.coi/trust.toml. */

/** A workspace file that asks for gated settings, as it is now. */
export interface GatedFile {
  /** As messages show it (`~/src/app/.coi/config.toml`). */
  label: string;
  /** The store's key: absolute, symlinks resolved. */
  path: string;
  fingerprint: string;
  entries: GatedEntry[];
}

export interface StoredApproval {
  path: string;
  fingerprint: string;
}

/**
 * The workspace's files with gated settings: ./.coi/config.toml and every profile in
 * ./.coi/profiles (any of them may be the one a session uses). Throws ConfigError for a file
 * that is not valid config: what it asks for cannot be shown, so it is not approved.
 */
export function gatedWorkspaceFiles(ctx: LayerContext): GatedFile[] {
  const candidates = [
    { file: join(ctx.workspace, '.coi', 'config.toml'), schema: layerSchema },
    ...listProfiles(ctx)
      .filter((p) => p.scope === 'workspace')
      .map((p) => ({ file: p.file, schema: profileSchema })),
  ];
  const issues: ConfigIssue[] = [];
  const files: GatedFile[] = [];
  for (const { file, schema } of candidates) {
    const label = displayPath(file, ctx.home);
    const source = { kind: 'workspace' as const, label, file, trusted: false };
    const read = readLayerFile<ConfigLayer>(source, schema, ctx);
    if (read === undefined) continue;
    if (read.layer === undefined) {
      issues.push(...read.issues);
      continue;
    }
    const entries = gatedEntries(read.layer.data, ctx);
    if (entries.length === 0) continue;
    const sha256 = read.layer.source.sha256!;
    files.push({
      label,
      path: approvalKey(file),
      fingerprint: fingerprint(sha256, entries),
      entries,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return files;
}

/** Approves the workspace's gated files as they are now; returns them (none: nothing to do). */
export function approveWorkspace(ctx: LayerContext): GatedFile[] {
  const files = gatedWorkspaceFiles(ctx);
  if (files.length === 0) return [];
  const approvals = readApprovals(ctx.home);
  for (const f of files) approvals[f.path] = f.fingerprint;
  writeApprovals(ctx.home, approvals);
  return files;
}

/** Removes every approval of a file under the workspace's .coi/ (its files now or before). */
export function revokeWorkspace(ctx: LayerContext): string[] {
  const dir = realPath(join(ctx.workspace, '.coi'));
  const approvals = readApprovals(ctx.home);
  const revoked = Object.keys(approvals).filter((path) => isInside(path, dir));
  if (revoked.length === 0) return [];
  for (const path of revoked) delete approvals[path];
  writeApprovals(ctx.home, approvals);
  return revoked.sort();
}

/** Every approval, by path. */
export function listApprovals(home: string): StoredApproval[] {
  return Object.entries(readApprovals(home))
    .map(([path, fp]) => ({ path, fingerprint: fp }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
