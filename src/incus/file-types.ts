/**
 * What the file API reports in its `X-Incus-*` headers. Fifos, sockets and device nodes show as
 * `file` too (and reading one blocks or never ends), so the type alone does not make a path safe
 * to read; see file-tree.ts for how trees are listed.
 */
export type FileType = 'file' | 'directory' | 'symlink';

export interface FileStat {
  type: FileType;
  /** In-container ids. */
  uid: number;
  gid: number;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  /** As the daemon sent it, e.g. `2026-11-23 11:20:33 +0000 UTC`; empty when absent. */
  modified: string;
}

export interface WriteOptions {
  /** In-container owner; a new file defaults to 0:0, an overwritten one keeps its owner. */
  uid?: number;
  gid?: number;
  /** Permission bits; a new file defaults to 0o644 (directories 0o755), an overwritten one keeps its mode. */
  mode?: number;
  /** Create missing parent directories first (with the same uid and gid, mode 0o755). */
  createParents?: boolean;
}

export interface PushOptions extends WriteOptions {
  /** Append instead of replacing the content. */
  append?: boolean;
}

export interface PullOptions {
  /** Fail instead of reading more than this many bytes (guards against endless files like /dev/zero). */
  maxBytes?: number;
  signal?: AbortSignal;
}
