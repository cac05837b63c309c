import { afterAttach } from '../core/session/attach.js';
import type { CliContext } from './context.js';
import { CLEANING_UP, KEPT_RUNNING } from './session-lines.js';

export const say = (lines: string[]) => process.stderr.write(`${lines.join('\n')}\n`);

/** After a tmux attach returned: true (and said so) when the container keeps running. */
export async function keptAfterTmux(
  ctx: Pick<CliContext, 'incus'>,
  container: string,
  uid: number,
): Promise<boolean> {
  const after = await afterAttach(ctx.incus, container, uid);
  if (after === 'detached') {
    say([CLEANING_UP, KEPT_RUNNING, `Detached. Reattach with \`coi attach ${container}\`.`]);
    return true;
  }
  if (after === 'tmux-ended') {
    say([
      CLEANING_UP,
      KEPT_RUNNING,
      `The session's tmux ended; ${container} keeps running: \`coi attach ${container} --bash\` to enter it, \`coi shutdown ${container}\` to end it.`,
    ]);
    return true;
  }
  return false;
}
