import { Option, type Command } from 'commander';
import { execCapture, execStream, parseEnvPairs } from '../../core/container/exec.js';
import {
  deleteContainer,
  isRunning,
  launchContainer,
  mountDisk,
  startContainer,
  stopContainer,
} from '../../core/container/lifecycle.js';
import { hostLocks } from '../../core/session/host-locks.js';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import { printJson } from '../output.js';

interface ExecFlags {
  user?: string;
  group?: string;
  env: string[];
  cwd?: string;
  capture?: boolean;
  format?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];
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
    .action(async (image: string, name: string, flags: { ephemeral?: boolean }) => {
      await withContext({}, async (ctx) => {
        await launchContainer(ctx.incus, image, name, flags);
        say(`Launched ${name} from ${image}`);
      });
    });

  container
    .command('start')
    .argument('<name>', 'container name')
    .description('start a stopped container')
    .action(async (name: string) => {
      await withContext({}, async (ctx) => {
        await startContainer(ctx.incus, name);
        say(`Started ${name}`);
      });
    });

  container
    .command('stop')
    .argument('<name>', 'container name')
    .option('-f, --force', 'kill instead of a clean shutdown')
    .description('stop a container')
    .action(async (name: string, flags: { force?: boolean }) => {
      await withContext({}, async (ctx) => {
        await stopContainer(ctx.incus, name, flags);
        say(`Stopped ${name}`);
      });
    });

  container
    .command('delete')
    .argument('<name>', 'container name')
    .option('-f, --force', 'stop it first if it runs')
    .description('delete a container (and release the host paths a coi session of it locked)')
    .action(async (name: string, flags: { force?: boolean }) => {
      await withContext({}, async (ctx) => {
        await deleteContainer(ctx.incus, name, flags);
        await hostLocks(ctx.coiDir).release(name);
        say(`Deleted ${name}`);
      });
    });

  container
    .command('exec')
    .description('run a command in a container; its exit code is coi’s')
    .argument('<name>', 'container name')
    .argument('<command...>', 'the command, after --')
    .option('--user <uid>', 'numeric user id (default 0)')
    .option('--group <gid>', 'numeric group id (default: the user id)')
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collect, [])
    .option('--cwd <dir>', 'working directory (default /workspace when it exists)')
    .option('--capture', 'collect the output instead of streaming it')
    .addOption(new Option('--format <format>', 'with --capture: json or raw'))
    .action(async (name: string, command: string[], flags: ExecFlags) => {
      if (flags.format !== undefined && !flags.capture)
        throw usageError('--format only applies with --capture');
      const format = flags.format ?? 'json';
      if (format !== 'json' && format !== 'raw')
        throw usageError(`--format: expected json or raw, got "${format}"`);
      const user = idFlag('user', flags.user);
      const opts = {
        user,
        group: idFlag('group', flags.group) ?? user,
        env: parseEnvPairs(flags.env),
        cwd: flags.cwd,
      };
      await withContext({}, async (ctx) => {
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
        const stdin = process.stdin.isTTY ? undefined : process.stdin;
        try {
          process.exitCode = await execStream(
            ctx.incus,
            name,
            command,
            { stdout: process.stdout, stderr: process.stderr, stdin },
            opts,
          );
        } finally {
          // A piped stdin would otherwise keep coi alive after the command ended.
          stdin?.destroy();
        }
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
    .action(
      async (
        name: string,
        device: string,
        source: string,
        path: string,
        flags: { shift: boolean },
      ) => {
        await withContext({}, async (ctx) => {
          await mountDisk(ctx.incus, name, device, source, path, flags);
          say(`Mounted ${source} at ${name}:${path} (device ${device})`);
        });
      },
    );
}
