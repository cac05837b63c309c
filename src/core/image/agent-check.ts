import { randomBytes } from 'node:crypto';
import type { IncusApi } from '../../incus/interfaces.js';
import { CoiError } from '../../shared/errors.js';
import { forceDelete } from '../container/force-delete.js';
import { startExplained } from '../container/start-explained.js';
import type { Progress } from '../progress.js';
import { BUILD_AGENTS, type BuildAgent } from './agents.js';

export class AgentCheckError extends CoiError {}

const TAIL_LINES = 20;

/**
 * Checks the agents in a throw-away container of the freshly imported image (no network, as in a
 * session), deleted afterwards.
 */
export async function checkAgentBinaries(
  incus: IncusApi,
  image: { fingerprint: string },
  agents: readonly BuildAgent[],
  opts: { prefix: string; progress: Progress },
): Promise<void> {
  if (agents.length === 0) return;
  opts.progress.step(`Checking ${agents.join(', ')} in the image`);
  const container = `${opts.prefix}build-check-${randomBytes(3).toString('hex')}`;
  try {
    await (
      await incus.instances.create({ name: container, image: { fingerprint: image.fingerprint } })
    ).wait({ timeoutMs: 600_000 });
    await startExplained(incus, container);
    await checkAgentsIn(incus, container, agents);
  } finally {
    await forceDelete(incus, container)
      .then((op) => op.wait({ timeoutMs: 120_000 }))
      .catch(() => undefined);
  }
}

/**
 * Runs each agent's `<binary> --version` as the code user in a login shell of a running container;
 * the first that fails throws with its exit code and output.
 */
export async function checkAgentsIn(
  incus: IncusApi,
  container: string,
  agents: readonly BuildAgent[],
): Promise<void> {
  for (const binary of agents.map((name) => BUILD_AGENTS[name].binary)) {
    const r = await incus.exec.run(container, ['bash', '-lc', `${binary} --version`], {
      user: 1000,
      group: 1000,
    });
    if (r.exitCode === 0) continue;
    const output = `${r.stdout.toString()}${r.stderr.toString()}`.trim().split('\n');
    throw new AgentCheckError(
      `\`${binary} --version\` failed in the built image (exit ${r.exitCode}):\n${output.slice(-TAIL_LINES).join('\n')}`,
    );
  }
}
