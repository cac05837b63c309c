/**
 * The agent CLIs `coi build` can put into coi-default, each from npm (the host installs them into
 * the rootfs; containers have no way to a registry), and the binary that must answer `--version`
 * in the image. Listed in install order, which is also the order of the recipe's npm packages.
 */
export const BUILD_AGENTS = {
  claude: { packages: ['@anthropic-ai/claude-code'], binary: 'claude' },
  opencode: { packages: ['opencode-ai'], binary: 'opencode' },
  pi: { packages: ['@mariozechner/pi-coding-agent'], binary: 'pi' },
  codex: { packages: ['@openai/codex'], binary: 'codex' },
  // oh-my-pi runs on Bun (its engines: bun >= 1.3.14), which npm ships as well. Pinned: each
  // release needs its sibling @oh-my-pi packages at exactly its version, and registries (and
  // mirrors) that lack one of them fail the whole install; 18.2.3 is complete and checked.
  omp: { packages: ['bun', '@oh-my-pi/pi-coding-agent@18.2.3'], binary: 'omp' },
} as const satisfies Record<string, { packages: readonly string[]; binary: string }>;

export type BuildAgent = keyof typeof BUILD_AGENTS;

export const BUILD_AGENT_NAMES = Object.keys(BUILD_AGENTS) as BuildAgent[];

/** `[container.build] agents` when it is not set: upstream's set, codex and omp opt-in. */
export const DEFAULT_BUILD_AGENTS: readonly BuildAgent[] = ['claude', 'opencode', 'pi'];

/** Agents users ask for that `coi build` cannot install, and why. */
const NOT_INSTALLABLE: Record<string, string> = {
  aider:
    'aider is a Python package (pip) and coi build installs agents offline from npm and Debian only, ' +
    'so it cannot install aider',
};

export function isBuildAgent(name: string): name is BuildAgent {
  return Object.hasOwn(BUILD_AGENTS, name);
}

/** What a `[container.build] agents` entry must be, said to the user who wrote `name`. */
export function agentExpectation(name: string): string {
  const known = `one of ${BUILD_AGENT_NAMES.join(', ')}`;
  const why = NOT_INSTALLABLE[name];
  return why ? `${known} (${why})` : known;
}

/** The selected agents in install order, each once. */
export function selectedAgents(agents: readonly string[] = DEFAULT_BUILD_AGENTS): BuildAgent[] {
  return BUILD_AGENT_NAMES.filter((name) => agents.includes(name));
}
