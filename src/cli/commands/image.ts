import type { Command } from 'commander';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import { outputFormat, printJson } from '../output.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
const catalog = () => import('../../core/image/catalog.js');

interface PublishFlags {
  description?: string;
  compression?: string;
}

export function registerImage(program: Command): void {
  const image = program.command('image').description('manage the Incus images coi uses');

  image
    .command('list')
    .description('list coi images (--all: every image)')
    .option('-a, --all', 'every local image')
    .option('--prefix <prefix>', 'only images with an alias starting with this')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (flags: { all?: boolean; prefix?: string; format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ listImages }, { imageTable }] = await Promise.all([
        catalog(),
        import('../views/image-text.js'),
      ]);
      await withContext({}, async (ctx) => {
        const images = await listImages(ctx.incus, flags);
        if (format === 'json') return printJson(images);
        const filter = flags.prefix ? ` with prefix '${flags.prefix}'` : '';
        if (images.length === 0) return void process.stdout.write(`No images found${filter}\n`);
        const heading = filter
          ? `Images${filter}:`
          : flags.all
            ? 'All Local Images:'
            : 'Available Images:';
        process.stdout.write(`${heading}\n\n${imageTable(images)}\n`);
      });
    });

  image
    .command('exists')
    .description('exit 0 when the image (alias or fingerprint) exists, 1 when not')
    .argument('<name>', 'alias or fingerprint')
    .action(async (name: string) => {
      const { findImage } = await catalog();
      await withContext({}, async (ctx) => {
        process.exitCode = (await findImage(ctx.incus, name)) ? 0 : 1;
      });
    });

  image
    .command('delete')
    .description('delete an image')
    .argument('<name>', 'alias or fingerprint')
    .action(async (name: string) => {
      const { deleteImage } = await catalog();
      await withContext({}, async (ctx) => {
        const gone = await deleteImage(ctx.incus, name);
        say(`Image ${name} deleted (fingerprint ${gone.fingerprint.slice(0, 12)})`);
      });
    });

  image
    .command('publish')
    .description('publish a stopped container as an image')
    .argument('<container>', 'container name')
    .argument('<alias>', 'alias of the new image')
    .option('--description <text>', 'image description')
    .option(
      '--compression <algorithm>',
      'an Incus compression algorithm such as none, gzip, xz or zstd (default: [container.build] compression, else the server’s)',
    )
    .action(async (container: string, alias: string, flags: PublishFlags) => {
      const { publishContainer } = await catalog();
      await withContext({}, async (ctx) => {
        const published = await publishContainer(ctx.incus, container, alias, {
          description: flags.description,
          compression: flags.compression ?? ctx.loaded.config.container.build.compression,
        });
        say(`Published ${container} as ${alias} (${published.fingerprint.slice(0, 12)})`);
      });
    });

  image
    .command('info')
    .description('details of one image: size, timestamps, properties, aliases')
    .argument('<name>', 'alias or fingerprint')
    .option('--format <format>', 'text or json (the Incus image)', 'text')
    .option('--json', 'same as --format json')
    .action(async (name: string, flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ imageInfo }, { imageInfoText }] = await Promise.all([
        catalog(),
        import('../views/image-text.js'),
      ]);
      await withContext({}, async (ctx) => {
        const image = await imageInfo(ctx.incus, name);
        if (format === 'json') return printJson(image);
        process.stdout.write(`${imageInfoText(image)}\n`);
      });
    });

  image
    .command('cleanup')
    .description('keep the newest N images whose alias starts with PREFIX, delete the rest')
    .argument('<prefix>', 'alias prefix')
    .requiredOption('--keep <n>', 'how many to keep (at least 1)')
    .action(async (prefix: string, flags: { keep: string }) => {
      const keep = Number(flags.keep);
      if (!/^\d+$/.test(flags.keep) || keep < 1)
        throw usageError(`--keep: expected a whole number of at least 1, got "${flags.keep}"`);
      const { cleanupImages } = await catalog();
      await withContext({}, async (ctx) => {
        const deleted = await cleanupImages(ctx.incus, prefix, keep);
        say('Cleanup complete:');
        if (deleted.length === 0) return say('Nothing to clean.');
        say(`\nDeleted ${deleted.length} old version(s):`);
        for (const d of deleted) say(`  - ${d.aliases.join(',')} (${d.fingerprint.slice(0, 12)})`);
      });
    });
}
