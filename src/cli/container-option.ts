import { resolveContainer } from '../core/container/target.js';
import type { CliContext } from './context.js';

/** `-c/--container`, else `COI_CONTAINER`, else this workspace's one container. */
export function targetContainer(ctx: CliContext, flag: string | undefined): Promise<string> {
  return resolveContainer(ctx.incus, {
    flag,
    env: process.env.COI_CONTAINER,
    workspace: ctx.workspace,
    prefix: ctx.prefix,
  });
}
