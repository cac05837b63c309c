import type { OAuthRefresh } from '../../security/proxy/inject/rules.js';

export type PermissionMode = 'bypass' | 'interactive';

/** What to resume: the newest saved session, or a given one. */
export type ResumeRequest = { kind: 'latest' } | { kind: 'id'; id: string };

/** `[tool.<name>]` settings, as the adapter of that tool reads them. */
export interface ToolSettings {
  model?: string;
  /** `[tool.claude] effort_level`, `[tool.codex] reasoning_effort`. */
  effort?: string;
}

export interface CommandOptions {
  permissionMode: PermissionMode;
  /** Set when a saved session was restored into the container. */
  resume?: ResumeRequest;
  /** Print mode: answer this prompt without a terminal UI, then exit (tools with `printMode`). */
  prompt?: string;
  settings?: ToolSettings;
  /** The code user's home and whether the sandbox context was written there (auto_context). */
  home?: string;
  withContext?: boolean;
}

/** A file to write in the code user's home, relative to it. */
export interface HomeFile {
  path: string;
  content: string;
}

/**
 * A file of the host user's home that a session needs (a login, the tool's settings), copied into
 * the container's home at every start, never mounted: the same path relative to both homes.
 */
export interface HostFile {
  path: string;
  /** Holds a secret: mode 0600 inside (others 0644). */
  secret?: boolean;
  /**
   * A login the tool rotates (OAuth refresh): written back to the host when the session ends and
   * the copy inside changed and is newer than the host's.
   */
  writeBack?: boolean;
  /**
   * What the container gets, made from the host's content (undefined when the host has none; then
   * from what the container holds, e.g. a restored session); undefined writes nothing. Without it
   * the host's bytes are copied as they are.
   */
  merge?: (
    content: string | undefined,
    opts: { permissionMode: PermissionMode },
  ) => string | undefined;
  /**
   * When the login goes by coi's egress proxy (`[tool.claude] credentials = "proxy"`): what the
   * container gets instead, with every secret replaced by `sentinel` (never written back).
   */
  sentinel?: (
    content: string | undefined,
    opts: { permissionMode: PermissionMode; sentinel: ProxySentinel },
  ) => string | undefined;
}

/** Which of a tool's logins the egress proxy sets: an OAuth token or an API key. */
export type ProxyLoginKind = 'oauth' | 'api-key';

/** Where a tool's host login keeps its secret, relative to the host home. */
export type ProxyLoginSource =
  /**
   * A JSON file holding the secret at a JSON pointer (read on each request); an OAuth login's
   * file is renewed by coi on the host (the container's copy never expires).
   */
  | { kind: 'file'; file: string; jsonPointer: string; refresh?: OAuthRefresh }
  /** A variable of coi's environment (read at launch: the daemon does not share it). */
  | { kind: 'env'; name: string }
  /** A command named at a JSON pointer of a file, run on the host as the tool would run it. */
  | { kind: 'command-in-file'; file: string; jsonPointer: string };

/** One kind of a tool's login as the egress proxy sets it: where it finds it, and the header. */
export interface ProxyLogin {
  kind: ProxyLoginKind;
  /** For the launch line and errors: `OAuth token`, `API key`. */
  label: string;
  domain: string;
  header: string;
  format: string;
  /** Tried in order: the first the host has is the secret. */
  sources: readonly ProxyLoginSource[];
  /**
   * Variables the session gets as the sentinel (replacing a forwarded real value), besides the
   * variable of an `env` source it was found by.
   */
  sentinelEnv?: readonly string[];
}

/** The sentinel a login by the egress proxy leaves in the container, and which login it stands for. */
export interface ProxySentinel {
  value: string;
  login: ProxyLoginKind;
}

/** A root-owned file outside the home (e.g. a managed policy the agent cannot change). */
export interface SystemFile {
  path: string;
  content: string;
}

export interface HomeFilesOptions {
  context: string | undefined;
  permissionMode: PermissionMode;
}

/**
 * What coi knows about an agent CLI: how to start it, where it keeps its state (saved and restored
 * between ephemeral containers), and how to give it the sandbox context in its native format.
 */
export interface ToolAdapter {
  readonly name: string;
  readonly defaultBinary: string;
  /** The tool's state directory relative to the home, saved to ~/.coi/sessions-<tool>/<id>/. */
  readonly stateDir: string | undefined;
  /** It has a non-interactive mode: `command` with a `prompt` answers it and exits. */
  readonly printMode: boolean;
  command(binary: string, opts: CommandOptions): string[];
  /** Environment variables the tool reads its settings from (`[tool.claude] model`, …). */
  environment?(settings: ToolSettings): Record<string, string>;
  /**
   * The files the tool needs in the home: the sandbox context in its native place (unless
   * `context` is undefined: auto_context off) and its permission settings. `current` gives what a
   * file holds now (undefined when absent), so user content in it is kept.
   */
  homeFiles(opts: HomeFilesOptions, current: (path: string) => string | undefined): HomeFile[];
  /** The host files a session needs, copied in at start (and on --resume, over the saved state). */
  readonly hostFiles?: readonly HostFile[];
  /**
   * Its logins the egress proxy can set instead of copying them in, in the order they are
   * looked for on the host.
   */
  readonly proxyLogins?: readonly ProxyLogin[];
  /** Root-owned files (mode 0644) written at start. */
  systemFiles?(opts: { permissionMode: PermissionMode }): SystemFile[];
}
