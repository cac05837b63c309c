import { posix } from 'node:path';

/**
 * Pure rules for copying a container directory tree to the host without trusting the container:
 * parsing the listing `find` prints inside it, and deciding which symlinks may be recreated.
 */

/** `find -printf` format: "type mode uid gid size" NUL relative-path NUL link-target NUL. */
export const FIND_FORMAT = '%y %m %U %G %s\\0%P\\0%l\\0';

export type TreeEntryKind =
  'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'block device' | 'char device' | 'other';

export interface TreeEntry {
  /** Relative to the listed directory, `/`-separated. */
  path: string;
  kind: TreeEntryKind;
  /** Permission bits including setuid/setgid/sticky (strip them before applying on the host). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Symlinks only: the raw target. */
  target: string;
}

const kinds: Record<string, TreeEntryKind> = {
  f: 'file',
  d: 'directory',
  l: 'symlink',
  p: 'fifo',
  s: 'socket',
  b: 'block device',
  c: 'char device',
};

const HEADER = /^([a-zA-Z]) ([0-7]+) (\d+) (\d+) (\d+)$/;

export class TreeListingError extends Error {}

/** Parses the output of `find <dir> -mindepth 1 -printf FIND_FORMAT`; names must be UTF-8. */
export function parseFindListing(raw: Buffer): { entries: TreeEntry[]; undecodable: number } {
  const fields: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(0); i !== -1; i = raw.indexOf(0, start)) {
    fields.push(raw.subarray(start, i));
    start = i + 1;
  }
  if (start !== raw.length || fields.length % 3 !== 0) {
    throw new TreeListingError(
      'the directory listing from the container is truncated or malformed',
    );
  }
  const entries: TreeEntry[] = [];
  let undecodable = 0;
  for (let i = 0; i < fields.length; i += 3) {
    const header = HEADER.exec(fields[i]!.toString('latin1'));
    if (!header) {
      throw new TreeListingError(
        `unexpected listing line "${fields[i]!.toString('latin1').slice(0, 80)}" (is GNU find installed in the container?)`,
      );
    }
    const path = utf8(fields[i + 1]!);
    const target = utf8(fields[i + 2]!);
    if (path === undefined || target === undefined) {
      undecodable++;
      continue;
    }
    entries.push({
      path,
      kind: kinds[header[1]!] ?? 'other',
      mode: parseInt(header[2]!, 8),
      uid: Number(header[3]),
      gid: Number(header[4]),
      size: Number(header[5]),
      target,
    });
  }
  return { entries, undecodable };
}

function utf8(buf: Buffer): string | undefined {
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : undefined;
}

/** True for a relative path made only of real names (no empty, `.` or `..` segments). */
export function isPlainRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/')) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/**
 * The target to give a copied symlink so it stays inside the copied tree, or undefined when it
 * would point outside (it is then not recreated). `linkPath` is the link's path relative to the
 * tree root, `root` the tree's absolute path in the container.
 *
 * Rules: an absolute target inside `root` becomes relative; a relative target may climb with
 * leading `..` no higher than the root. A `..` after a name is refused outright: the name may
 * itself be a symlink, so lexical resolution would not tell where it really ends up.
 */
export function containedLinkTarget(
  linkPath: string,
  target: string,
  root: string,
): string | undefined {
  if (target === '') return undefined;
  const depth = posix.dirname(linkPath) === '.' ? 0 : posix.dirname(linkPath).split('/').length;
  let segments: string[];
  let up: number;
  if (target.startsWith('/')) {
    const normalizedRoot = root === '/' ? '' : root.replace(/\/+$/, '');
    if (target !== normalizedRoot && !target.startsWith(`${normalizedRoot}/`)) return undefined;
    segments = names(target.slice(normalizedRoot.length));
    up = depth;
    if (segments.includes('..')) return undefined;
  } else {
    segments = names(target);
    up = 0;
    while (segments[0] === '..') {
      segments.shift();
      up++;
    }
    if (up > depth || segments.includes('..')) return undefined;
  }
  return [...Array<string>(up).fill('..'), ...segments].join('/') || '.';
}

function names(path: string): string[] {
  return path.split('/').filter((seg) => seg !== '' && seg !== '.');
}
