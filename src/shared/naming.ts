import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { CoiError, type ErrorKind } from './errors.js';

/**
 * Names shared with the Go coi: a session identity owns up to ten containers
 * `<prefix><hash8>-<slot>`, where hash8 is the first 8 hex digits of SHA-256 over the identity:
 * the absolute workspace path, or `session-name:<name>` with `[container] session_name`.
 */

const DEFAULT_CONTAINER_PREFIX = 'coi-';
export const MAX_SLOTS = 10;
/** Session ids: ours are UUID v4; ids handed in from outside must match this. */
const SESSION_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;

const PREFIX_PATTERN = /^[a-z][a-z0-9-]*$/;

export class NoFreeSlotError extends CoiError {}

/** `COI_CONTAINER_PREFIX` when set (tests use `coi-test-…`), otherwise `coi-`. */
export function containerPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.COI_CONTAINER_PREFIX;
  if (prefix === undefined || prefix === '') return DEFAULT_CONTAINER_PREFIX;
  if (!PREFIX_PATTERN.test(prefix) || prefix.length > 40) {
    throw new Error(
      `COI_CONTAINER_PREFIX: expected lowercase letters, digits and "-", starting with a letter, ` +
        `at most 40 characters; got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}

// node:crypto takes ~8 ms to load and every command loads this module: required on first use.
const crypto = () => createRequire(import.meta.url)('node:crypto') as typeof Crypto;

const SESSION_NAME_IDENTITY = 'session-name:';

/**
 * What a session's containers are keyed on: its `session_name` (namespaced so that it never
 * equals a path) when set, else the workspace. Every `workspace` parameter below takes either.
 */
export function sessionIdentity(workspace: string, sessionName?: string): string {
  return sessionName ? `${SESSION_NAME_IDENTITY}${sessionName}` : resolve(workspace);
}

/** The absolute path is hashed as given: symlinks are deliberately not resolved. */
export function workspaceHash(workspace: string): string {
  return crypto().createHash('sha256').update(identityKey(workspace)).digest('hex').slice(0, 8);
}

function identityKey(workspace: string): string {
  return workspace.startsWith(SESSION_NAME_IDENTITY) ? workspace : resolve(workspace);
}

export function containerName(workspace: string, slot: number, prefix: string): string {
  assertSlot(slot);
  return `${prefix}${workspaceHash(workspace)}-${slot}`;
}

export interface ParsedContainerName {
  hash: string;
  slot: number;
}

/** Hash and slot of a coi container name, or undefined for any other name. */
export function parseContainerName(name: string, prefix: string): ParsedContainerName | undefined {
  const match = containerNamePattern(prefix).exec(name);
  if (!match) return undefined;
  return { hash: match[1]!, slot: Number(match[2]) };
}

function containerNamePattern(prefix: string): RegExp {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}([a-f0-9]{8})-([1-9]|10)$`);
}

/** The lowest slot 1..10 whose container name is not taken, whatever that container's state. */
export function lowestFreeSlot(
  workspace: string,
  existingNames: Iterable<string>,
  prefix: string,
): number {
  const hash = workspaceHash(workspace);
  const taken = new Set<number>();
  for (const name of existingNames) {
    const parsed = parseContainerName(name, prefix);
    if (parsed?.hash === hash) taken.add(parsed.slot);
  }
  for (let slot = 1; slot <= MAX_SLOTS; slot++) if (!taken.has(slot)) return slot;
  throw new NoFreeSlotError(
    `all ${MAX_SLOTS} slots for ${identityKey(workspace)} are in use ` +
      `(${prefix}${hash}-1 … -${MAX_SLOTS}); stop or delete one of them and try again`,
  );
}

export function tmuxSessionName(container: string): string {
  return `coi-${container}`;
}

export function newSessionId(): string {
  return crypto().randomUUID();
}

export function isValidSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id);
}

/**
 * An id from outside (the command line, a saved session's metadata, a container's config), checked
 * before it names a directory under ~/.coi or reaches the agent's command line.
 */
export function checkSessionId(id: string, source: string, kind: ErrorKind = 'failure'): string {
  if (isValidSessionId(id)) return id;
  throw new CoiError(
    `${source}: ${JSON.stringify(id)} is not a session id (letters, digits, ".", "_" and "-", ` +
      'starting with a letter or digit, at most 64)',
    kind,
  );
}

function assertSlot(slot: number): void {
  if (!Number.isInteger(slot) || slot < 1 || slot > MAX_SLOTS) {
    throw new RangeError(`slot: expected an integer from 1 to ${MAX_SLOTS}; got ${slot}`);
  }
}
