import { loadConfig } from '../../core/config/index.js';
import { headlessSpec, type HeadlessSpec } from '../../core/session/headless-spec.js';
import { readPrompt } from '../../core/tools/prompts.js';
import type { ResumeRequest } from '../../core/tools/types.js';
import { readCoiKeys } from '../../shared/instance-keys.js';
import { checkSessionId } from '../../shared/naming.js';
import { targetContainer } from '../container-option.js';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import { outputFormat, printJson } from '../output.js';
import type { SpecFlags } from './tool.js';

const shellQuote = (s: string) =>
  /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;

/** `coi tool spec`: what would start the agent headless in that container, run by nobody. */
export async function toolSpecAction(flags: SpecFlags): Promise<void> {
  const format = outputFormat(flags);
  const resume = resumeOf(flags);
  await withContext({ workspace: flags.workspace }, async (ctx) => {
    const container = await targetContainer(ctx, flags.container);
    const keys = readCoiKeys((await ctx.incus.instances.get(container)).value.config);
    // The container's own workspace and profile decide the tool and its settings.
    const config =
      keys.workspace && keys.workspace !== ctx.workspace
        ? loadConfig({ cwd: keys.workspace, ...(keys.profile ? { profile: keys.profile } : {}) })
            .config
        : ctx.loaded.config;
    const prompt = await readPrompt({ kind: 'file', path: flags.promptFile }, config, ctx.coiDir);
    const spec = await headlessSpec(ctx.incus, {
      container,
      config,
      hostEnv: process.env,
      prompt,
      ...(resume ? { resume } : {}),
    });
    if (format === 'json') printJson(spec);
    else process.stdout.write(specText(spec));
  });
}

function resumeOf(flags: SpecFlags): ResumeRequest | undefined {
  if (flags.resumeLatest && flags.resumeId !== undefined) {
    throw usageError('--resume-latest and --resume-id cannot be combined: give one');
  }
  if (flags.resumeLatest) return { kind: 'latest' };
  return flags.resumeId !== undefined
    ? { kind: 'id', id: checkSessionId(flags.resumeId, '--resume-id', 'usage') }
    : undefined;
}

function specText(spec: HeadlessSpec): string {
  return [
    `Container: ${spec.container}`,
    `User: ${spec.user}:${spec.group}`,
    `Cwd: ${spec.cwd}`,
    `Command: ${spec.command.map(shellQuote).join(' ')}`,
    'Environment:',
    ...Object.entries(spec.env).map(([k, v]) => `  ${k}=${v}`),
    '',
  ].join('\n');
}
