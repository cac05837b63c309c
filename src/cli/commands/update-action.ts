import { homedir } from 'node:os';
import { displayPath } from '../../core/config/paths.js';
import { updateGtfobins } from '../../core/patterns/update-gtfobins.js';
import { updateCore } from '../../core/update/update-core.js';
import { gtfobinsDir } from '../../security/patterns/gtfobins.js';
import { confirmOrForce } from '../confirm.js';
import { coiDir } from '../context.js';
import type { UpdateFlags } from './update.js';

const say = (...lines: string[]) => process.stdout.write(lines.map((l) => `${l}\n`).join(''));

/** `coi update`: coi itself, then the pattern database, as the Go coi. */
export async function updateAllAction(flags: UpdateFlags): Promise<void> {
  await updateCoreAction(flags);
  say('');
  await updatePatternsAction({});
}

export async function updateCoreAction(flags: UpdateFlags): Promise<void> {
  await updateCore({
    check: flags.check,
    force: flags.force,
    say,
    confirm: (question) => confirmOrForce(question, false),
  });
}

export async function updatePatternsAction(flags: UpdateFlags): Promise<void> {
  const dir = gtfobinsDir(coiDir());
  say('=== GTFOBins ===');
  await updateGtfobins({
    dir,
    shown: displayPath(dir, homedir()),
    source: flags.source,
    dryRun: flags.dryRun,
    say,
  });
  if (!flags.dryRun) say('', 'Done. Restart the monitoring daemon to apply new patterns.');
}
