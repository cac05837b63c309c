import { applyBatch } from '../network/nft-run.js';

/** The nft table of test mode that keeps container traffic on the machine. */
export const FORWARD_GUARD_TABLE = 'coi-guard';

/** The guard's ruleset: anything arriving from the bridge and leaving by another interface drops. */
export function forwardGuardRuleset(bridge: string): string {
  return [
    `table inet ${FORWARD_GUARD_TABLE}`,
    `delete table inet ${FORWARD_GUARD_TABLE}`,
    `table inet ${FORWARD_GUARD_TABLE} {`,
    '  chain forward_guard {',
    '    type filter hook forward priority 100; policy accept;',
    `    iifname "${bridge}" oifname != "${bridge}" counter drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Installs (or replaces, atomically) the guard table of the test bed. */
export function installForwardGuard(bridge: string): Promise<void> {
  return applyBatch(forwardGuardRuleset(bridge));
}
