import { fail, ok, warn, type HealthCheck } from './types.js';

export const configChecks: HealthCheck[] = [
  {
    key: 'config',
    name: 'Configuration',
    category: 'configuration',
    run: (env) => {
      if ('error' in env.config) return fail(`invalid: ${env.config.error.split('\n').join('; ')}`);
      const { warnings } = env.config.loaded;
      return warnings.length
        ? warn(
            `valid; ${warnings.length} setting(s) ignored: ${warnings.map((w) => w.key).join(', ')}`,
          )
        : ok('valid');
    },
    manualFix: () => 'fix the file named above (`coi config validate` shows every problem)',
  },
  {
    key: 'network_mode',
    name: 'Network mode',
    category: 'configuration',
    run: (env) => {
      if ('error' in env.config) return warn('unknown: the configuration does not load');
      const mode = env.config.loaded.config.network.mode;
      return mode === 'open' ? warn('open: containers can reach anything the host can') : ok(mode);
    },
    manualFix: () => 'set [network] mode = "restricted" (or "allowlist") in ~/.coi/config.toml',
  },
  {
    key: 'tool',
    name: 'Tool',
    category: 'configuration',
    run: (env) => {
      if ('error' in env.config) return warn('unknown: the configuration does not load');
      const tool = env.config.loaded.config.tool;
      return ok(
        `${tool.name}${tool.binary ? ` (${tool.binary})` : ''}, permission mode ${tool.permission_mode}`,
      );
    },
  },
];
