import { GUARD_TABLE } from './bridge.js';
import { run } from './run.js';
import type { StepResult } from './resources.js';

/** The guard's ruleset: anything arriving from the bridge and leaving by another interface drops. */
export function guardRuleset(bridge: string): string {
  return [
    `table inet ${GUARD_TABLE}`,
    `delete table inet ${GUARD_TABLE}`,
    `table inet ${GUARD_TABLE} {`,
    '  chain forward_guard {',
    '    type filter hook forward priority 100; policy accept;',
    `    iifname "${bridge}" oifname != "${bridge}" counter drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Installs (or replaces, atomically) the guard table for the test bed. */
export async function ensureGuard(bridge: string): Promise<StepResult> {
  await run('nft', ['-f', '-'], { stdin: guardRuleset(bridge) });
  return {
    name: 'guard',
    status: 'ok',
    message: `nft table inet ${GUARD_TABLE} drops traffic forwarded off ${bridge}`,
  };
}
