import { attachTerminal, enteringEnv } from '../../core/session/attach.js';
import { existingContainer } from '../../core/session/reattach.js';
import { startTmuxSession } from '../../core/session/tmux.js';
import { toolAdapter } from '../../core/tools/registry.js';
import { codeHome } from '../../shared/instance-keys.js';
import { tmuxSessionName } from '../../shared/naming.js';
import { keptAfterTmux, say } from '../after-tmux.js';
import { withContext } from '../context.js';
import { configOverrides, type SessionFlags } from '../session-options.js';

interface ContainerFlags extends SessionFlags {
  background?: boolean;
  debug?: boolean;
}

/**
 * `coi shell --container NAME`: a running container entered as it is, with no set-up and no
 * session of its own: its tmux session when it has one, else the configured agent (in a new tmux
 * session, or directly with `[shell] use_tmux = false`), or bash with --debug. The container is
 * never stopped or deleted afterwards: coi did not make it for this command.
 */
export async function enterContainer(name: string, flags: ContainerFlags): Promise<void> {
  await withContext(
    {
      workspace: flags.workspace,
      ...(flags.profile ? { profile: flags.profile } : {}),
      defaultProfile: true,
      overrides: configOverrides(flags),
    },
    async (ctx) => {
      const { config } = ctx.loaded;
      const found = await existingContainer(ctx.incus, name);
      const env = enteringEnv(found.codeUser);
      const enter = (command: string[]) =>
        attachTerminal(ctx.incus, name, command, { uid: found.codeUid, env });
      if (flags.debug) {
        await enter(['bash', '-l']);
        return;
      }
      const direct = !config.shell.use_tmux;
      const tool = toolAdapter(config.tool.name, config.tool.binary);
      const command = tool.adapter.command(tool.binary, {
        permissionMode: config.tool.permission_mode,
      });
      if (direct && !found.hasTmux) {
        await enter(command);
        return;
      }
      if (!found.hasTmux) {
        say([`Starting ${tool.adapter.name} in tmux in ${name}...`]);
        await startTmuxSession(ctx.incus, {
          container: name,
          uid: found.codeUid,
          home: codeHome(found.codeUser),
          user: found.codeUser,
          env,
          command,
        });
      }
      if (flags.background) {
        say([`${name} runs its tmux session; attach with \`coi attach ${name}\`.`]);
        return;
      }
      say([`Attaching to ${name}...`]);
      await enter(['tmux', 'attach', '-t', tmuxSessionName(name)]);
      if (!(await keptAfterTmux(ctx, name, found.codeUid))) say([`${name} stopped.`]);
    },
  );
}
