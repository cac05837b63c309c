import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync, type WriteStream } from 'node:fs';
import type { IncusApi } from '../../incus/interfaces.js';
import { IncusNotFoundError } from '../../incus/errors.js';
import { forceDelete } from '../container/force-delete.js';
import { ContainerOpError, localImageSource } from '../container/lifecycle.js';
import { startExplained } from '../container/start-explained.js';
import { stopWithGrace } from '../container/stop-with-grace.js';
import { openLog } from '../../shared/run.js';
import type { Progress } from '../progress.js';
import type { BuildResult } from './builder.js';
import { CoiError } from '../../shared/errors.js';

export class CustomBuildError extends CoiError {}

export interface CustomBuildOptions {
  incus: IncusApi;
  progress: Progress;
  logPath: string;
  alias: string;
  /** Image to start from (alias or fingerprint). */
  base: string;
  /** Host path of a shell script run as root inside. */
  script?: string;
  /** Commands run as root after the script, each with `sh -c`. */
  commands?: string[];
  /** Prefix of the throw-away build container's name. */
  prefix: string;
  compression?: string;
  force?: boolean;
}

const SCRIPT_PATH = '/root/coi-build.sh';
const TAIL_LINES = 20;

/**
 * Builds an image on top of `base`: launches a container from it, runs the script and commands
 * as root, publishes the stopped container under `alias`, deletes the container. Anything that
 * fails leaves neither the container nor a half-built image behind.
 */
export async function buildCustomImage(opts: CustomBuildOptions): Promise<BuildResult> {
  const { incus, progress } = opts;
  if (opts.script !== undefined && !(existsSync(opts.script) && statSync(opts.script).isFile()))
    throw new CustomBuildError(`build script ${opts.script} does not exist or is not a file`);
  if (opts.script === undefined && !opts.commands?.length)
    throw new CustomBuildError('nothing to build: give a script or commands');
  const existing = await incus.images.findByAlias(opts.alias);
  if (existing && !opts.force)
    return { alias: opts.alias, fingerprint: existing.fingerprint, built: false };
  const source = await localImageSource(incus, opts.base).catch((err: unknown) => {
    throw err instanceof ContainerOpError
      ? new CustomBuildError(
          `base image "${opts.base}" does not exist on this host (\`coi build\` makes coi-default)`,
        )
      : err;
  });

  const container = `${opts.prefix}build-${randomBytes(3).toString('hex')}`;
  const log = openLog(opts.logPath);
  try {
    progress.step(`Starting ${container} from ${opts.base} (log: ${opts.logPath})`);
    await (
      await incus.instances.create({ name: container, image: source })
    ).wait({ timeoutMs: 600_000 });
    await startExplained(incus, container);

    if (opts.script !== undefined) {
      progress.step(`Running ${opts.script}`);
      await incus.files.push(container, SCRIPT_PATH, createReadStream(opts.script), {
        mode: 0o755,
      });
      await runStep(
        incus,
        container,
        ['/bin/bash', SCRIPT_PATH],
        `script ${opts.script}`,
        log,
        progress,
      );
    }
    for (const command of opts.commands ?? []) {
      progress.step(`Running ${command}`);
      await runStep(
        incus,
        container,
        ['/bin/sh', '-c', command],
        `command "${command}"`,
        log,
        progress,
      );
    }

    progress.step('Publishing the image');
    await incus.exec.run(container, ['rm', '-f', SCRIPT_PATH]);
    await stopWithGrace(incus, container, 60);
    if (existing) await incus.images.deleteAlias(opts.alias);
    const done = await (
      await incus.images.publish({
        source: { type: 'instance', name: container },
        aliases: [{ name: opts.alias, description: `coi custom image on ${opts.base}` }],
        properties: { description: `coi custom image ${opts.alias} (base ${opts.base})` },
        ...(opts.compression ? { compression_algorithm: opts.compression } : {}),
      })
    ).wait({ timeoutMs: 1_800_000 });
    const fingerprint = String(
      (done.metadata as { fingerprint?: string } | null)?.fingerprint ?? '',
    );
    if (existing && existing.fingerprint !== fingerprint && (existing.aliases ?? []).length <= 1)
      await (await incus.images.delete(existing.fingerprint)).wait({ timeoutMs: 300_000 });
    progress.done(`Image ${opts.alias} ready (${fingerprint.slice(0, 12)})`);
    return { alias: opts.alias, fingerprint, built: true };
  } finally {
    log.end();
    await forceDelete(incus, container)
      .then((op) => op.wait({ timeoutMs: 120_000 }))
      .catch((err: Error) => {
        // Not there: the build failed before creating it.
        if (!(err instanceof IncusNotFoundError))
          progress.info(
            `could not delete the build container ${container} (${err.message}); ` +
              `\`coi container delete ${container} --force\` removes it`,
          );
      });
  }
}

/** Runs one build step as root, its output to the log; a non-zero exit fails with the tail. */
async function runStep(
  incus: IncusApi,
  container: string,
  argv: string[],
  what: string,
  log: WriteStream,
  progress: Progress,
): Promise<void> {
  const proc = await incus.exec.start(container, argv, { cwd: '/root' });
  proc.stdin.end();
  const tail: string[] = [];
  const follow = (stream: NodeJS.ReadableStream) =>
    new Promise<void>((resolve, reject) => {
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        log.write(chunk);
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          progress.update(0.5, line.slice(0, 60));
        }
      });
      stream.once('end', () => {
        if (partial) tail.push(partial);
        resolve();
      });
      stream.once('error', reject);
    });
  const [code] = await Promise.all([proc.wait(), follow(proc.stdout), follow(proc.stderr)]);
  if (code !== 0)
    throw new CustomBuildError(
      `${what} failed (exit ${code}):\n${tail.slice(-TAIL_LINES).join('\n')}`,
    );
}
