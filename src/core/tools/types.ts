export type PermissionMode = 'bypass' | 'interactive';

/** What to resume: the newest saved session, or a given one. */
export type ResumeRequest = { kind: 'latest' } | { kind: 'id'; id: string };

export interface CommandOptions {
  permissionMode: PermissionMode;
  /** Set when a saved session was restored into the container. */
  resume?: ResumeRequest;
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
  command(binary: string, opts: CommandOptions): string[];
  /**
   * The files the tool needs in the home: the sandbox context in its native place (unless
   * `context` is undefined: auto_context off) and its permission settings. `current` gives what a
   * file holds now (undefined when absent), so user content in it is kept.
   */
  homeFiles(opts: HomeFilesOptions, current: (path: string) => string | undefined): HomeFile[];
}
