import { readFile } from 'node:fs/promises';
import type { LoadedConfig } from '../../config/index.js';
import { sandboxContext } from '../context.js';
import { readHomeFile, writeHomeFiles } from '../inside.js';
import type { LaunchRequest } from '../launch.js';
import { LaunchError } from './launch-error.js';
import type { LaunchPlan } from './plan.js';

/** `~/SANDBOX_CONTEXT.md` and the tool's native context and settings files. */
export async function writeContextFiles(
  req: Pick<LaunchRequest, 'incus' | 'loaded' | 'workspace'>,
  plan: LaunchPlan,
  placed: { container: string; slot: number },
): Promise<void> {
  const { config } = req.loaded;
  const { container } = placed;
  const context = config.tool.auto_context
    ? sandboxContext({
        config,
        workspace: req.workspace,
        slot: placed.slot,
        container,
        persistent: plan.persistent,
        profileContext: await profileContext(req.loaded),
        ...(config.tool.context_file ? { text: await contextFile(config.tool.context_file) } : {}),
      })
    : undefined;
  const homeOpts = { context, permissionMode: config.tool.permission_mode };
  const paths = plan.tool.homeFiles(homeOpts, () => undefined).map((f) => f.path);
  const current = new Map(
    await Promise.all(
      paths.map(
        async (path) => [path, await readHomeFile(req.incus, container, plan.home, path)] as const,
      ),
    ),
  );
  await writeHomeFiles(req.incus, container, plan.home, plan.codeUid, [
    ...(context ? [{ path: 'SANDBOX_CONTEXT.md', content: context }] : []),
    ...plan.tool.homeFiles(homeOpts, (path) => current.get(path)),
  ]);
}

async function contextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new LaunchError(
      `[tool] context_file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): fix the path or remove the key`,
    );
  }
}

async function profileContext(loaded: LoadedConfig): Promise<string | undefined> {
  const files = loaded.profile?.contextFiles ?? [];
  const parts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return parts.length ? parts.join('\n\n') : undefined;
}
