import { codeUidOf } from '../../core/container/code-uid.js';
import { toCoiContainer } from '../../shared/coi-container.js';
import { codeHome } from '../../shared/instance-keys.js';
import { tmuxSessionName } from '../../shared/naming.js';
import { hasTmuxSession } from '../../core/session/tmux.js';
import type { Incus } from '../../incus/index.js';
import type { PtyCommand } from '../../ui/index.js';

export interface AttachCommandOptions {
  incus: Incus;
  prefix: string;
  /** Incus project of the containers (`[incus] project`). */
  project: string;
}

/**
 * `incus exec <c> --user <uid> … -t -- tmux attach -t coi-<c>`: the program the terminal pane
 * runs for a container, as its code user. The uid is looked up once per container.
 */
export function attachCommandFactory(
  opts: AttachCommandOptions,
): (name: string) => Promise<PtyCommand> {
  const uids = new Map<string, number>();
  return async (name) => {
    const container = toCoiContainer(await opts.incus.instances.getFull(name), opts.prefix);
    if (!container) throw new Error(`${name} is not a coi container`);
    if (container.status === 'Frozen') throw new Error(`${name} is paused: resume it first (r)`);
    if (container.status !== 'Running')
      throw new Error(`${name} is ${container.status}, not running`);
    let uid = uids.get(name);
    if (uid === undefined) {
      uid = await codeUidOf(opts.incus, container);
      uids.set(name, uid);
    }
    if (!(await hasTmuxSession(opts.incus, name, uid))) {
      throw new Error(
        `${name} has no tmux session ${tmuxSessionName(name)} (its agent ended); \`coi attach ${name} --bash\` opens a shell`,
      );
    }
    const args = [
      'exec',
      name,
      ...(opts.project !== 'default' ? ['--project', opts.project] : []),
      '--user',
      String(uid),
      '--group',
      String(uid),
      '--env',
      `HOME=${codeHome(container.codeUser)}`,
      '--env',
      `USER=${container.codeUser}`,
      '--env',
      'TERM=xterm-256color',
      '-t',
      '--',
      'tmux',
      'attach',
      '-t',
      tmuxSessionName(name),
    ];
    return { file: 'incus', args };
  };
}
