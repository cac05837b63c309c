import { badgesByContainer, badgesByWorkspace } from './alert-selectors.js';
import { isEmptyFilter, matchesInstance, type Filter } from './filter.js';
import { sortSlots } from './sort.js';
import type { TuiState } from './store.js';
import type { AgentState, InstanceMetrics, Severity, SlotInstance } from './types.js';

export interface WorkspaceRow {
  kind: 'workspace';
  key: string;
  workspace: string;
  /** 1-based position among all workspaces; number keys jump by it. */
  number: number;
  collapsed: boolean;
  slotCount: number;
  matchingCount: number;
  running: number;
  frozen: number;
  badge?: Severity;
}

export interface SlotRow {
  kind: 'slot';
  key: string;
  instance: SlotInstance;
  metrics?: InstanceMetrics;
  badge?: Severity;
  agent?: AgentState;
}

export type TreeRow = WorkspaceRow | SlotRow;

const workspaceKey = (name: string) => `ws:${name}`;
export const slotKey = (name: string) => `slot:${name}`;

/** Flattens Workspaces → slots into visible rows, applying filter, sort and collapse state. */
export function treeRows(
  state: Pick<TuiState, 'workspaces' | 'instances' | 'metrics' | 'agentStates' | 'alerts' | 'ui'>,
  filter: Filter,
): TreeRow[] {
  const badges = badgesByContainer(state.alerts);
  const wsBadges = badgesByWorkspace(state.alerts);
  const byWorkspace = new Map<string, SlotInstance[]>();
  for (const instance of Object.values(state.instances)) {
    const list = byWorkspace.get(instance.workspace) ?? [];
    list.push(instance);
    byWorkspace.set(instance.workspace, list);
  }
  const filtering = !isEmptyFilter(filter);
  const rows: TreeRow[] = [];
  state.workspaces.forEach((workspace, index) => {
    const all = byWorkspace.get(workspace) ?? [];
    const matching = all
      .map((instance) => ({
        kind: 'slot' as const,
        key: slotKey(instance.name),
        instance,
        metrics: state.metrics[instance.name],
        badge: badges.get(instance.name),
        agent: state.agentStates[instance.name],
      }))
      .filter((row) => matchesInstance(filter, row.instance, row.badge));
    if (filtering && matching.length === 0) return;
    const collapsed = state.ui.collapsed[workspace] ?? false;
    rows.push({
      kind: 'workspace',
      key: workspaceKey(workspace),
      workspace,
      number: index + 1,
      collapsed,
      slotCount: all.length,
      matchingCount: matching.length,
      running: all.filter((i) => i.state === 'running').length,
      frozen: all.filter((i) => i.state === 'frozen').length,
      badge: wsBadges.get(workspace),
    });
    if (!collapsed) rows.push(...sortSlots(matching, state.ui.sort));
  });
  return rows;
}

/** Index of the selected row, falling back to the first row when the key is gone. */
export function selectedIndex(rows: readonly { key: string }[], key: string | undefined): number {
  const index = key === undefined ? -1 : rows.findIndex((r) => r.key === key);
  return index < 0 ? 0 : index;
}
