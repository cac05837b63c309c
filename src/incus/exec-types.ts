import type { Readable } from 'node:stream';

/** `POST /1.0/instances/<n>/exec` body (shared/api/instance_exec.go). */
export interface ExecRequest {
  command: string[];
  environment?: Record<string, string>;
  'wait-for-websocket': boolean;
  'record-output': boolean;
  interactive: boolean;
  width?: number;
  height?: number;
  user?: number;
  group?: number;
  cwd?: string;
}

/** Metadata of an exec operation: the fd secrets while it runs, `return` once it ended. */
export interface ExecOperationMetadata {
  command?: string[];
  environment?: Record<string, string>;
  interactive?: boolean;
  /** `"0"`, `"1"`, `"2"` and `"control"` (interactive: `"0"` and `"control"`) → websocket secret. */
  fds?: Record<string, string>;
  return?: number;
}

/** JSON text frames on the control websocket (api.InstanceExecControl); args are strings. */
export type ExecControlMessage =
  | { command: 'window-resize'; args: { width: string; height: string } }
  | { command: 'signal'; signal: number };

/** The login account a non-root command runs as; sets HOME, USER, LOGNAME and SHELL. */
export interface ExecAccount {
  name: string;
  home: string;
  shell: string;
}

export interface ExecOptions {
  /** Merged over the instance's `environment.*` config; these values win. */
  environment?: Record<string, string>;
  /** In-container uid (default 0). */
  user?: number;
  /** In-container gid (default: the same number as `user`). */
  group?: number;
  cwd?: string;
  /**
   * For a non-root `user`: the account whose HOME/USER/LOGNAME/SHELL to set (Incus only sets them
   * for root). When absent it is read from the container's /etc/passwd.
   */
  account?: ExecAccount;
}

export interface RunOptions extends ExecOptions {
  /** Sent to the command's stdin, then EOF; no stdin means EOF at once. */
  stdin?: Buffer | string | Readable;
}

export interface RunResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface InteractiveOptions extends ExecOptions {
  /** Initial terminal size in columns and rows. */
  width: number;
  height: number;
  /** `TERM` for the session when `environment` does not set one (default `xterm-256color`). */
  term?: string;
}
