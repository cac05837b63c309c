import type { Command } from 'commander';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import { outputFormat, printJson } from '../output.js';
import { enumOption } from '../options/enum.js';
import { envMap, envOption } from '../options/env.js';
import { flagRequires } from '../options/requires.js';

interface LaunchFlags {
  ephemeral?: boolean;
  storage?: string;
}

interface ExecFlags {
  user?: string;
  group?: string;
  env: string[];
  cwd?: string;
  capture?: boolean;
  format?: string;
  tty?: boolean;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

function idFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id))
    throw usageError(`--${name}: expected a numeric id, got "${value}"`);
  return id;
}

export function registerContainer(program: Command): void {
  const container = program
    .command('container')
    .description('low-level container operations (any Incus container, not only coi’s)');

  container
    .command('launch')
    .description('create and start a container from a local image')
    .argument('<image>', 'image alias or fingerprint')
    .argument('<name>', 'container name')
    .option('--ephemeral', 'delete the container when it stops')
    .option(
      '-s, --storage <pool>',
      'storage pool of the root disk (default: the default profile’s)',
    )
    .action(async (image: string, name: string, flags: LaunchFlags) => {
      const { launchContainer } = await import('../../core/container/lifecycle.js');
      await withContext({}, async (ctx) => {
        await launchContainer(ctx.incus, image, name, flags);
        say(`Container ${name} launched from ${image}`);
      });
    });

  container
    .command('start')
    .argument('<name>', 'container name')
    .description('start a stopped container')
    .action(async (name: string) => {
      const { startContainer } = await import('../../core/container/lifecycle.js');
      await withContext({}, async (ctx) => {
        await startContainer(ctx.incus, name);
        say(`Container ${name} started`);
      });
    });

  container
    .command('stop')
    .argument('<name>', 'container name')
    .option('-f, --force', 'kill instead of a clean shutdown')
    .description('stop a container')
    .action(async (name: string, flags: { force?: boolean }) => {
      const { stopContainer } = await import('../../core/container/lifecycle.js');
      await withContext({}, async (ctx) => {
        await stopContainer(ctx.incus, name, flags);
        say(`Container ${name} stopped`);
      });
    });

  container
    .command('delete')
    .argument('<name>', 'container name')
    .option('-f, --force', 'stop it first if it runs')
    .description('delete a container (and release the host paths a coi session of it locked)')
    .action(async (name: string, flags: { force?: boolean }) => {
      const [{ deleteContainer }, { hostLocks }] = await Promise.all([
        import('../../core/container/lifecycle.js'),
        import('../../core/session/host-locks.js'),
      ]);
      await withContext({}, async (ctx) => {
        await deleteContainer(ctx.incus, name, flags);
        await hostLocks(ctx.coiDir).release(name);
        say(`Container ${name} deleted`);
      });
    });

  container
    .command('exec')
    .description('run a command in a container; its exit code is coi’s')
    .argument('<name>', 'container name')
    .argument('<command...>', 'the command, after --')
    .option('--user <uid>', 'numeric user id (default 0)')
    .option('--group <gid>', 'numeric group id (default: the user id)')
    .addOption(envOption('--env <KEY=VALUE>', 'environment variable (repeatable)'))
    .option('--cwd <dir>', 'working directory (default /workspace when it exists)')
    .option('--capture', 'collect the output instead of streaming it')
    .addOption(enumOption('--format <format>', 'output with --capture', ['json', 'raw']))
    .option('-t, --tty', 'run it on a pseudo-terminal (shells, tmux, editors; not with --capture)')
    .action(async (name: string, command: string[], flags: ExecFlags) => {
      if (flags.format !== undefined && !flags.capture) throw flagRequires('--format', '--capture');
      if (flags.tty && flags.capture)
        throw usageError(
          '--tty and --capture are mutually exclusive (a terminal merges the output)',
        );
      const format = flags.format ?? 'json';
      const user = idFlag('user', flags.user);
      const opts = {
        user,
        group: idFlag('group', flags.group) ?? user,
        env: envMap(flags.env),
        cwd: flags.cwd,
      };
      const { execCapture, execStream, execTerminal } =
        await import('../../core/container/exec.js');
      await withContext({}, async (ctx) => {
        if (flags.tty) {
          process.exitCode = await execTerminal(ctx.incus, name, command, {
            ...opts,
            term: process.env.TERM,
          });
          return;
        }
        if (flags.capture) {
          const result = await execCapture(ctx.incus, name, command, opts);
          if (format === 'json') printJson(result);
          else {
            process.stdout.write(result.stdout);
            process.stderr.write(result.stderr);
          }
          process.exitCode = result.exit_code;
          return;
        }
        process.exitCode = await execStream(
          ctx.incus,
          name,
          command,
          {
            stdout: process.stdout,
            stderr: process.stderr,
            ...(process.stdin.isTTY ? {} : { stdin: process.stdin }),
          },
          opts,
        );
      });
    });

  container
    .command('exists')
    .argument('<name>', 'container name')
    .description('exit 0 when the container exists, 1 when not')
    .action(async (name: string) => {
      await withContext({}, async (ctx) => {
        process.exitCode = (await ctx.incus.instances.exists(name)) ? 0 : 1;
      });
    });

  container
    .command('running')
    .argument('<name>', 'container name')
    .description('exit 0 when the container runs, 1 when not')
    .action(async (name: string) => {
      const { isRunning } = await import('../../core/container/lifecycle.js');
      await withContext({}, async (ctx) => {
        process.exitCode = (await isRunning(ctx.incus, name)) ? 0 : 1;
      });
    });

  container
    .command('mount')
    .description('mount a host directory into a container (disk device)')
    .argument('<name>', 'container name')
    .argument('<device>', 'device name')
    .argument('<source>', 'host path')
    .argument('<path>', 'path inside the container')
    .option('--shift', 'idmapped mount (default)', true)
    .option('--no-shift', 'plain mount without id shifting')
    .option('--readonly', 'the container may read but not write it')
    .action(
      async (
        name: string,
        device: string,
        source: string,
        path: string,
        flags: { shift: boolean; readonly?: boolean },
      ) => {
        const { mountDisk } = await import('../../core/container/lifecycle.js');
        await withContext({}, async (ctx) => {
          await mountDisk(ctx.incus, name, device, source, path, flags);
          say(`Disk mounted: ${source} -> ${name}:${path} (device ${device})`);
        });
      },
    );

  container
    .command('list')
    .description('list every container of the Incus project (coi’s or not), as `incus list`')
    .option('--format <format>', 'text or json (the Incus instances with state)', 'text')
    .option('--json', 'same as --format json')
    .action(async (flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ listInstances }, { instanceTable }] = await Promise.all([
        import('../../core/container/inspect.js'),
        import('../views/instance-text.js'),
      ]);
      await withContext({}, async (ctx) => {
        const instances = await listInstances(ctx.incus);
        if (format === 'json') return printJson(instances);
        process.stdout.write(
          instances.length ? `${instanceTable(instances)}\n` : 'No containers found.\n',
        );
      });
    });

  container
    .command('info')
    .description('details of one container: status, resources, network, snapshots')
    .argument('<name>', 'container name')
    .option('--format <format>', 'text or json (the Incus instance with state)', 'text')
    .option('--json', 'same as --format json')
    .action(async (name: string, flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ instanceInfo }, { instanceInfoText }] = await Promise.all([
        import('../../core/container/inspect.js'),
        import('../views/instance-text.js'),
      ]);
      await withContext({}, async (ctx) => {
        const instance = await instanceInfo(ctx.incus, name);
        if (format === 'json') return printJson(instance);
        process.stdout.write(`${instanceInfoText(instance)}\n`);
      });
    });
}
