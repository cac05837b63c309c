import type { ConfigWarning } from './errors.js';
import type { Origins } from './merge.js';
import type { Config } from './schema.js';

/** Settings a file states that another key overrides: said once, so nobody relies on them. */
export function ineffectiveSettings(config: Config, origins: Origins): ConfigWarning[] {
  const docker = origins['container.docker'];
  const { security } = config;
  const reducer = security.reduce_kernel_surface_strict
    ? 'security.reduce_kernel_surface_strict'
    : security.reduce_kernel_surface
      ? 'security.reduce_kernel_surface'
      : undefined;
  if (!config.container.docker || !reducer || !docker || docker.layer === 'default') return [];
  const where = origins[reducer]?.source ?? 'effective configuration';
  return [
    {
      file: docker.source,
      key: 'container.docker',
      message:
        `${docker.source}: container.docker = true has no effect: ${reducer} (${where}) ` +
        'turns Docker support off in the container; turn it off to use Docker',
    },
  ];
}
