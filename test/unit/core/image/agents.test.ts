import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../src/cli/errors.js';
import { ConfigError } from '../../../../src/core/config/index.js';
import { BUILD_AGENTS, selectedAgents } from '../../../../src/core/image/agents.js';
import { makeHost } from '../config/fixture.js';

function loadAgents(toml: string): readonly string[] | undefined {
  const host = makeHost();
  host.write(join(host.home, '.coi/config.toml'), toml);
  return host.load().config.container.build.agents;
}

function configError(toml: string): ConfigError {
  try {
    loadAgents(toml);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('[container.build] agents', () => {
  it('is unset by default and takes the agents coi build can install', () => {
    expect(loadAgents('')).toBeUndefined();
    expect(loadAgents('[container.build]\nagents = ["codex", "omp", "claude"]\n')).toEqual([
      'codex',
      'omp',
      'claude',
    ]);
  });

  it('an unknown name is a config error naming file, key and the known agents (exit 2)', () => {
    const error = configError('[container.build]\nagents = ["claude", "cursor"]\n');
    expect(error.message).toBe(
      '~/.coi/config.toml: container.build.agents[1]: expected one of claude, opencode, pi, codex, omp; got "cursor"',
    );
    expect(exitCodeFor(error)).toBe(2);
  });

  it('aider is refused with the reason: a pip package cannot be installed offline', () => {
    expect(configError('[container.build]\nagents = ["aider"]\n').message).toMatch(
      /container\.build\.agents\[0\]: expected one of .* \(aider is a Python package \(pip\) .*cannot install aider\); got "aider"/,
    );
  });

  it('every agent has an npm package and a binary to check', () => {
    for (const agent of Object.values(BUILD_AGENTS)) {
      expect(agent.packages.length).toBeGreaterThan(0);
      expect(agent.binary).toMatch(/^[a-z]+$/);
    }
    expect(selectedAgents(['omp', 'nope', 'pi'])).toEqual(['pi', 'omp']);
  });
});
