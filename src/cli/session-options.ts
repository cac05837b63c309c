import type { Command } from 'commander';
import type { ConfigOverrides } from '../core/config/index.js';
import { NETWORK_MODES, TOOL_NAMES } from '../core/config/choices.js';
import { checkSessionId } from '../shared/naming.js';
import type { ResumeRequest } from '../core/tools/types.js';
import { enumOption } from './options/enum.js';
import { envOption } from './options/env.js';
import { globalOptions } from './options/global.js';

export interface SessionFlags {
  workspace?: string;
  slot?: number;
  persistent?: boolean;
  resume?: string | boolean;
  continue?: string | boolean;
  profile?: string;
  image?: string;
  tool?: string;
  env: string[];
  network?: string;
  limitCpu?: string;
  limitMemory?: string;
  limitDuration?: string;
  limitProcesses?: string;
}

/** The flags shared by `coi shell` and `coi run`, as the Go coi documents them. */
export function addSessionOptions(cmd: Command): Command {
  return cmd
    .addOption(globalOptions.workspace())
    .addOption(globalOptions.slot())
    .option('--persistent', 'keep the container after the session')
    .addOption(globalOptions.resume())
    .addOption(globalOptions.continue())
    .addOption(globalOptions.profile())
    .option('--image <image>', 'image to launch (default: [container] image)')
    .addOption(enumOption('--tool <name>', 'agent ([tool] name)', TOOL_NAMES))
    .addOption(envOption('-e, --env <KEY=VALUE>', 'environment variable inside (repeatable)'))
    .addOption(enumOption('--network <mode>', 'network mode', NETWORK_MODES))
    .option('--limit-cpu <count>', 'CPU count or set ([limits.cpu] count)')
    .option('--limit-memory <size>', 'memory limit, e.g. 2GiB ([limits.memory] limit)')
    .option(
      '--limit-duration <duration>',
      'stop after this long, e.g. 2h ([limits.runtime] max_duration)',
    )
    .option('--limit-processes <n>', 'maximum processes ([limits.runtime] max_processes)');
}

export function resumeFlag(flags: SessionFlags): ResumeRequest | undefined {
  const value = flags.resume ?? flags.continue;
  if (value === undefined || value === false) return undefined;
  if (value === true || value === 'auto') return { kind: 'latest' };
  const flag = flags.resume !== undefined ? '--resume' : '--continue';
  return { kind: 'id', id: checkSessionId(value, flag, 'usage') };
}

/** Flags that set config keys become the command-line layer of the config. */
export function configOverrides(flags: SessionFlags): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (flags.persistent) overrides.container = { persistent: true };
  if (flags.image) overrides.container = { ...overrides.container, image: flags.image };
  if (flags.tool) overrides.tool = { name: flags.tool as 'claude' };
  if (flags.network) overrides.network = { mode: flags.network as 'restricted' };
  const limits: NonNullable<ConfigOverrides['limits']> = {};
  if (flags.limitCpu) limits.cpu = { count: flags.limitCpu };
  if (flags.limitMemory) limits.memory = { limit: flags.limitMemory };
  if (flags.limitDuration || flags.limitProcesses) {
    limits.runtime = {
      ...(flags.limitDuration ? { max_duration: flags.limitDuration } : {}),
      ...(flags.limitProcesses ? { max_processes: Number(flags.limitProcesses) } : {}),
    };
  }
  if (Object.keys(limits).length) overrides.limits = limits;
  return overrides;
}
