import { BUILD_AGENTS, selectedAgents } from './agents.js';
import { baseImageRecipe, type ImageRecipe } from './recipe.js';

export { DEFAULT_IMAGE_ALIAS } from './default-alias.js';

/** npm's name for the platform package of the official Node.js binaries. */
function nodeBinaryPackage(arch: string = process.arch): string {
  return `node-linux-${arch === 'arm64' ? 'arm64' : 'x64'}@20`;
}

/**
 * coi-default with the agents of `[container.build] agents` (unset: the default set): the offline
 * Debian base plus the agents' tool chain. Debian 12 has Node.js 18 only, so the official Node.js
 * 20 binary comes from npm (`node-linux-<arch>`) and shadows it in /usr/local/bin; the agent CLIs
 * come from npm too, installed by the host (containers have no way to the registry).
 */
export function defaultImageRecipeFor(agents?: readonly string[]): ImageRecipe {
  return {
    ...toolChain,
    npmPackages: [
      nodeBinaryPackage(),
      ...selectedAgents(agents).flatMap((name) => BUILD_AGENTS[name].packages),
    ],
  };
}

const toolChain: ImageRecipe = {
  ...baseImageRecipe,
  aptPackages: [
    'build-essential',
    'docker.io',
    'gh',
    'jq',
    'less',
    'nodejs',
    'npm',
    'openssh-client',
    'ripgrep',
    'unzip',
    'vim-tiny',
    'wget',
  ],
  files: {
    ...baseImageRecipe.files,
    'coi-poweroff': { path: '/usr/local/bin/close', mode: 0o755 },
    'sandbox-context.md': { path: '/etc/coi/SANDBOX_CONTEXT.md', mode: 0o644 },
  },
  configure: [
    baseImageRecipe.configure,
    'ln -sf close /usr/local/bin/stop',
    'usermod -aG docker code',
    'install -o code -g code -m 0644 /etc/coi/SANDBOX_CONTEXT.md /home/code/SANDBOX_CONTEXT.md',
  ].join('\n'),
};

/** coi-default with the default agents (its hash names what the cached images were built from). */
export const defaultImageRecipe: ImageRecipe = defaultImageRecipeFor();

/** Image property that records which recipe built an image. */
export const RECIPE_PROPERTY = 'coi.recipe';
