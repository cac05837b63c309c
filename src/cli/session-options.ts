import { Option, type Command } from 'commander';
import type { ConfigOverrides } from '../core/config/index.js';
import { checkSessionId, MAX_SLOTS } from '../shared/naming.js';
import type { ResumeRequest } from '../core/tools/types.js';
import { usageError } from './errors.js';

export interface SessionFlags {
  workspace?: string;
  slot?: string;
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

const collect = (value: string, previous: string[]) => [...previous, value];

/** The flags shared by `coi shell` and `coi run`, as the Go coi documents them. */
export function addSessionOptions(cmd: Command): Command {
  return cmd
    .option('-w, --workspace <dir>', 'workspace directory to mount at /workspace', '.')
    .option('--slot <n>', `slot 1-${MAX_SLOTS} (0: lowest free)`)
    .option('--persistent', 'keep the container after the session')
    .option('--resume [id]', 'resume the newest (or the given) saved session of this workspace')
    .option('--continue [id]', 'same as --resume')
    .option('--profile <name>', 'apply a profile')
    .option('--image <image>', 'image to launch (default: [container] image)')
    .option('--tool <name>', 'agent: claude, opencode or pi')
    .option('-e, --env <KEY=VALUE>', 'environment variable inside (repeatable)', collect, [])
    .addOption(
      new Option('--network <mode>', 'network mode').choices(['restricted', 'allowlist', 'open']),
    )
    .option('--limit-cpu <count>', 'CPU count or set ([limits.cpu] count)')
    .option('--limit-memory <size>', 'memory limit, e.g. 2GiB ([limits.memory] limit)')
    .option(
      '--limit-duration <duration>',
      'stop after this long, e.g. 2h ([limits.runtime] max_duration)',
    )
    .option('--limit-processes <n>', 'maximum processes ([limits.runtime] max_processes)');
}

export function slotFlag(flags: { slot?: string }): number | undefined {
  if (flags.slot === undefined) return undefined;
  const slot = Number(flags.slot);
  if (!Number.isInteger(slot) || slot < 0 || slot > MAX_SLOTS) {
    throw usageError(`--slot: expected 0-${MAX_SLOTS}, got "${flags.slot}"`);
  }
  return slot === 0 ? undefined : slot;
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
