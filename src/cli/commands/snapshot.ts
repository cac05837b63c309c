import type { Command } from 'commander';
import type { SnapshotInfo } from '../../core/snapshot/snapshots.js';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import { outputFormat, printJson } from '../output.js';

interface Flags {
  container?: string;
  format?: string;
  json?: boolean;
  all?: boolean;
  force?: boolean;
  stateful?: boolean;
}

const say = (line: string) => process.stderr.write(`${line}\n`);
/** The snapshot operations, the container resolution and the question, loaded when one runs. */
const load = () =>
  Promise.all([
    import('../../core/snapshot/snapshots.js'),
    import('../container-option.js'),
    import('../confirm.js'),
  ]);

function sizeText(bytes: number): string {
  return bytes < 0 ? '-' : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function snapshotLines(snaps: SnapshotInfo[]): string[] {
  return snaps.map(
    (s) =>
      `  ${s.name.padEnd(24)} ${s.created_at}  ${s.stateful ? 'stateful ' : 'stateless'}  ${sizeText(s.size)}`,
  );
}

export function registerSnapshot(program: Command): void {
  const snapshot = program
    .command('snapshot')
    .description('create, list, restore and delete container snapshots');
  const withTarget = (cmd: Command) =>
    cmd.option('-c, --container <name>', 'container (default: COI_CONTAINER or this workspace’s)');

  withTarget(snapshot.command('create'))
    .description('snapshot a container (name default: snap-YYYYMMDD-HHMMSS)')
    .argument('[name]', 'snapshot name')
    .option('--stateful', 'include process state (needs CRIU on the host)')
    .action(async (name: string | undefined, flags: Flags) => {
      const [{ createSnapshot }, { targetContainer }] = await load();
      await withContext({}, async (ctx) => {
        const container = await targetContainer(ctx, flags.container);
        const snap = await createSnapshot(ctx.incus, container, {
          name,
          stateful: flags.stateful,
        });
        const kind = flags.stateful ? 'stateful snapshot' : 'snapshot';
        say(`Created ${kind} '${snap.name}' for container '${container}'`);
      });
    });

  withTarget(snapshot.command('list'))
    .description('list the snapshots of a container (--all: of every coi container)')
    .option('-a, --all', 'every coi container')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (flags: Flags) => {
      const format = outputFormat(flags);
      const [[{ listSnapshots }, { targetContainer }], { listCoiContainers }] = await Promise.all([
        load(),
        import('../../core/container/list.js'),
      ]);
      await withContext({}, async (ctx) => {
        const containers = flags.all
          ? (await listCoiContainers(ctx.incus, ctx.prefix)).map((c) => c.name)
          : [await targetContainer(ctx, flags.container)];
        const byContainer = await Promise.all(
          containers.map(async (c) => ({
            container: c,
            snapshots: await listSnapshots(ctx.incus, c),
          })),
        );
        if (format === 'json') {
          printJson(
            flags.all
              ? byContainer
              : { container: containers[0], snapshots: byContainer[0]!.snapshots },
          );
          return;
        }
        if (byContainer.length === 0) return say('No Coi containers found');
        const out: string[] = [];
        for (const { container, snapshots } of byContainer) {
          out.push(`Snapshots for ${container}:`);
          out.push(...(snapshots.length ? snapshotLines(snapshots) : ['  (none)']));
        }
        if (!flags.all) {
          const n = byContainer[0]!.snapshots.length;
          out.push('', `Total: ${n} snapshot${n === 1 ? '' : 's'}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });

  withTarget(snapshot.command('restore'))
    .description('restore a stopped container to a snapshot (what changed since is lost)')
    .argument('<name>', 'snapshot name')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--stateful', 'restore process state too')
    .action(async (name: string, flags: Flags) => {
      const [{ restoreSnapshot, snapshotInfo }, { targetContainer }, { confirmOrForce }] =
        await load();
      await withContext({}, async (ctx) => {
        const container = await targetContainer(ctx, flags.container);
        await snapshotInfo(ctx.incus, container, name);
        const ok = await confirmOrForce(
          `Restore ${container} to snapshot ${name}? Changes since are lost.`,
          flags.force,
        );
        if (!ok) return say('Aborted (not restored)');
        await restoreSnapshot(ctx.incus, container, name, { stateful: flags.stateful });
        say(`Restored container '${container}' from snapshot '${name}'`);
      });
    });

  withTarget(snapshot.command('delete'))
    .description('delete a snapshot, or --all of them')
    .argument('[name]', 'snapshot name')
    .option('-a, --all', 'every snapshot of the container')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (name: string | undefined, flags: Flags) => {
      if (!name === !flags.all) throw usageError('give a snapshot name or --all (not both)');
      const [{ deleteSnapshot, listSnapshots }, { targetContainer }, { confirmOrForce }] =
        await load();
      await withContext({}, async (ctx) => {
        const container = await targetContainer(ctx, flags.container);
        if (name) {
          await deleteSnapshot(ctx.incus, container, name);
          return say(`Deleted snapshot '${name}' from container '${container}'`);
        }
        const snaps = await listSnapshots(ctx.incus, container);
        if (snaps.length === 0) return say(`No snapshots to delete for container '${container}'`);
        const ok = await confirmOrForce(
          `Delete ${snaps.length} snapshot(s) of ${container}?`,
          flags.force,
        );
        if (!ok) return say('Aborted (nothing deleted)');
        for (const s of snaps) {
          await deleteSnapshot(ctx.incus, container, s.name);
          say(`Deleted snapshot '${s.name}'`);
        }
        say(`Deleted ${snaps.length} snapshot(s) of ${container}`);
      });
    });

  withTarget(snapshot.command('info'))
    .description('details of one snapshot')
    .argument('<name>', 'snapshot name')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (name: string, flags: Flags) => {
      const format = outputFormat(flags);
      const [{ snapshotInfo }, { targetContainer }] = await load();
      await withContext({}, async (ctx) => {
        const container = await targetContainer(ctx, flags.container);
        const info = await snapshotInfo(ctx.incus, container, name);
        if (format === 'json') return printJson(info);
        const lines = [
          `Snapshot:  ${info.name}`,
          `Container: ${info.container}`,
          `Created:   ${info.created_at}`,
          `Stateful:  ${info.stateful ? 'yes' : 'no'}`,
          `Size:      ${sizeText(info.size)}`,
          `Expires:   ${info.expires_at ?? 'never'}`,
          ...Object.entries(info.config).map(([k, v]) => `  ${k} = ${v}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
