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
}
