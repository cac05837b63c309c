import { isSeverity, severityRank, SEVERITIES } from './severity.js';
import type { InstanceState, Severity, SlotInstance, ThreatAlert } from './types.js';

/** `threat` selects containers frozen by the threat responder. */
export type StateToken = InstanceState | 'threat';
const STATE_TOKENS: readonly StateToken[] = ['running', 'frozen', 'stopped', 'starting', 'threat'];

export interface Filter {
  states: StateToken[];
  /** Keeps slots/alerts at or above this unacknowledged severity. */
  minSeverity?: Severity;
  workspaces: string[];
  tools: string[];
  words: string[];
}

export interface ParsedFilter {
  filter: Filter;
  errors: string[];
}

export const FILTER_SYNTAX =
  'state:<running|frozen|stopped|starting|threat> sev:<level> ws:<x> tool:<x> text';

/**
 * Parses the `/` filter. Tokens are space separated; prefixed tokens narrow by field (values may
 * be comma separated), plain words must all occur in the row's text. Case-insensitive.
 */
export function parseFilter(text: string): ParsedFilter {
  const filter: Filter = { states: [], workspaces: [], tools: [], words: [] };
  const errors: string[] = [];
  for (const token of text.toLowerCase().split(/\s+/).filter(Boolean)) {
    const colon = token.indexOf(':');
    if (colon <= 0) {
      filter.words.push(token);
      continue;
    }
    const prefix = token.slice(0, colon);
    const values = token
      .slice(colon + 1)
      .split(',')
      .filter(Boolean);
    if (values.length === 0) {
      errors.push(`"${token}" has no value; write e.g. ${prefix}:<value>`);
      continue;
    }
    switch (prefix) {
      case 'state':
        for (const v of values) {
          if ((STATE_TOKENS as readonly string[]).includes(v)) filter.states.push(v as StateToken);
          else errors.push(`unknown state "${v}"; use one of ${STATE_TOKENS.join(', ')}`);
        }
        break;
      case 'sev':
        for (const v of values) {
          if (isSeverity(v)) filter.minSeverity = v;
          else errors.push(`unknown severity "${v}"; use one of ${SEVERITIES.join(', ')}`);
        }
        break;
      case 'ws':
        filter.workspaces.push(...values);
        break;
      case 'tool':
        filter.tools.push(...values);
        break;
      default:
        errors.push(`unknown filter prefix "${prefix}:"; use state:, sev:, ws: or tool:`);
    }
  }
  return { filter, errors };
}

export function isEmptyFilter(f: Filter): boolean {
  return (
    f.states.length === 0 &&
    f.minSeverity === undefined &&
    f.workspaces.length === 0 &&
    f.tools.length === 0 &&
    f.words.length === 0
  );
}

function includesAll(haystack: string, words: string[]): boolean {
  const text = haystack.toLowerCase();
  return words.every((w) => text.includes(w));
}

function includesAny(value: string, needles: string[]): boolean {
  const v = value.toLowerCase();
  return needles.length === 0 || needles.some((n) => v.includes(n));
}

function atLeast(severity: Severity | undefined, min: Severity | undefined): boolean {
  if (min === undefined) return true;
  return severity !== undefined && severityRank(severity) >= severityRank(min);
}

function stateMatches(instance: SlotInstance, states: StateToken[]): boolean {
  if (states.length === 0) return true;
  return states.some((s) => (s === 'threat' ? instance.frozenByThreat : instance.state === s));
}

/** `badge` is the instance's highest unacknowledged alert severity. */
export function matchesInstance(f: Filter, instance: SlotInstance, badge: Severity | undefined) {
  return (
    stateMatches(instance, f.states) &&
    atLeast(badge, f.minSeverity) &&
    includesAny(instance.workspace, f.workspaces) &&
    includesAny(instance.tool, f.tools) &&
    includesAll(
      [instance.name, instance.workspace, instance.tool, instance.ipv4 ?? ''].join(' '),
      f.words,
    )
  );
}

/** state: and tool: describe containers, not alerts, so they do not narrow the alert queue. */
export function matchesAlert(f: Filter, alert: ThreatAlert): boolean {
  return (
    atLeast(alert.severity, f.minSeverity) &&
    includesAny(alert.workspace, f.workspaces) &&
    includesAll(
      [alert.title, alert.container, alert.workspace, alert.category ?? '', alert.action].join(' '),
      f.words,
    )
  );
}
