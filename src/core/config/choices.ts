// The enumerations the CLI's flags offer, apart from the zod schema so that defining the flags
// does not load zod (the schema builds its enums from these).

export const TOOL_NAMES = ['claude', 'codex', 'opencode', 'pi', 'omp', 'aider'] as const;

export const NETWORK_MODES = ['restricted', 'allowlist', 'open'] as const;
/** `[network.proxy] no_sni`: what the egress proxy does with a connection that names no host. */
export const NO_SNI_POLICIES = ['refuse', 'allow'] as const;
/** `[tool.claude] credentials`: the host login copied in, or a sentinel and the egress proxy. */
export const CLAUDE_CREDENTIALS = ['copy', 'proxy'] as const;
