import type { Command } from 'commander';
import { join } from 'node:path';
import type { AuditRecord } from '../../security/audit/record.js';
import { coiDir } from '../context.js';
import { flagRequires } from '../options/requires.js';
import { outputFormat } from '../output.js';
import { addFormatOptions } from '../options/format.js';

export function registerAudit(program: Command): void {
  addFormatOptions(
    program
      .command('audit')
      .description("a container's security audit log (~/.coi/audit); no name: every container's")
      .argument('[container]', 'container name')
      .option('-f, --follow', 'keep printing new records as they are written'),
    'output: text, or json with one record per line',
  ).action(
    async (
      name: string | undefined,
      flags: { follow?: boolean; format?: string; json?: boolean },
    ) => {
      const format = outputFormat(flags);
      const [{ activeAuditFile, listAuditFiles }, { followAudit, readAudit }] = await Promise.all([
        import('../../security/audit/files.js'),
        import('../../security/audit/tail.js'),
      ]);
      const dir = join(coiDir(), 'audit');
      if (flags.follow && !name) throw flagRequires('--follow', 'a container name');
      let printed = 0;
      const print = (record: AuditRecord) => {
        printed++;
        process.stdout.write(
          format === 'json' ? `${JSON.stringify(record)}\n` : formatRecord(record),
        );
      };
      const handlers = {
        onRecord: print,
        onInvalid: (where: string, problem: string) =>
          process.stderr.write(`Warning: ${where}: not an audit record (${problem})\n`),
      };
      if (flags.follow) {
        const follower = followAudit(activeAuditFile(dir, name!), {
          ...handlers,
          onError: (err) => process.stderr.write(`Warning: ${err.message}\n`),
        });
        await follower.ready;
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        follower.close();
        return;
      }
      const containers = name
        ? [name]
        : [...new Set((await listAuditFiles(dir)).map((f) => f.container))];
      for (const container of containers) await readAudit(dir, container, handlers);
      if (printed === 0 && format === 'text')
        process.stderr.write(`No audit records${name ? ` for ${name}` : ''} in ${dir}.\n`);
    },
  );
}

function formatRecord(r: AuditRecord): string {
  return (
    `${r.timestamp}  ${r.level.toUpperCase().padEnd(8)} ${r.container}  ${r.title} → ${r.action}\n` +
    `    ${r.description}  (detected in ${r.detection_latency_ms} ms)\n`
  );
}
