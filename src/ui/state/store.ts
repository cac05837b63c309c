import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AgentState,
  Connection,
  InstanceMetrics,
  SlotInstance,
  StatusMessage,
  ThreatAlert,
} from './types.js';
import type { SlotViewData } from '../../core/control-room/slot-view-types.js';
import type { ConfirmRequest, Overlay, Pane, SlotViewOverlay, UiState } from './ui-types.js';
import { SORT_KEYS } from './ui-types.js';

export interface TuiState {
  /** Known workspaces, including ones without slots (so "new slot" has a target). */
  workspaces: string[];
  instances: Record<string, SlotInstance>;
  metrics: Record<string, InstanceMetrics>;
  /** The agent state of each running slot that has one, by container name. */
  agentStates: Record<string, AgentState>;
  /** Every alert ever received, in arrival order; nothing expires. */
  alerts: ThreatAlert[];
  connection: Connection;
  status?: StatusMessage;
  ui: UiState;
  /** The open slot view's latest data (undefined until its first reading). */
  slotView?: SlotViewData;
  /** Why the open slot view's last refresh failed; cleared by the next data. */
  slotViewError?: string;
}

export interface TuiStoreActions {
  upsertInstance(instance: SlotInstance): void;
  removeInstance(name: string): void;
  /** Replaces all metrics in one update (one batch per poll for every instance). */
  setMetrics(batch: Record<string, InstanceMetrics>): void;
  /** Replaces all agent states (the source sends a batch only when one changed). */
  setAgentStates(batch: Record<string, AgentState>): void;
  /** Appends alerts; ids already present are ignored so a replayed feed is harmless. */
  addAlerts(alerts: ThreatAlert[]): void;
  ackAlert(id: string): void;
  setWorkspaces(names: string[]): void;
  setConnection(connection: Connection): void;
  setStatus(status: StatusMessage): void;

  focusPane(pane: Pane): void;
  selectRow(key: string | undefined): void;
  selectAlert(id: string | undefined): void;
  setCollapsed(workspace: string, collapsed: boolean): void;
  setFilterText(text: string): void;
  setFilterEditing(editing: boolean): void;
  cycleSort(): void;
  openOverlay(overlay: Overlay): void;
  openConfirm(request: ConfirmRequest): void;
  updateConfirm(change: { focused?: 'cancel' | 'confirm'; typed?: string }): void;
  closeOverlay(): void;
  setAttached(name: string | undefined): void;
  setZoomed(zoomed: boolean): void;
  /** Opens a slot view with nothing read yet (the view's feed fills it). */
  openSlotView(view: SlotViewOverlay['view'], container: string): void;
  /** Changes the open slot view's selection, tab or follow; nothing when none is open. */
  updateSlotView(
    change: Partial<Pick<SlotViewOverlay, 'selected' | 'selectedKey' | 'logsTab' | 'follow'>>,
  ): void;
  setSlotViewData(data: SlotViewData): void;
  setSlotViewError(message: string): void;
}

export type TuiStore = TuiState & TuiStoreActions;
export type TuiStoreApi = StoreApi<TuiStore>;

function initialUi(): UiState {
  return {
    focus: 'slots',
    collapsed: {},
    filter: { text: '', editing: false },
    sort: 'slot',
    overlay: { kind: 'none' },
    zoomed: false,
  };
}

const byNaturalName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

function withWorkspace(workspaces: string[], name: string): string[] {
  return workspaces.includes(name) ? workspaces : [...workspaces, name].sort(byNaturalName);
}

const sameMetrics = (a: InstanceMetrics, b: InstanceMetrics) =>
  (Object.keys(b) as (keyof InstanceMetrics)[]).every((k) => a[k] === b[k]) &&
  Object.keys(a).length === Object.keys(b).length;

/** Same fields, `ports` compared by value (the feed builds a fresh object on every poll). */
function sameSlot(a: SlotInstance, b: SlotInstance): boolean {
  const keys = Object.keys(b) as (keyof SlotInstance)[];
  return (
    keys.length === Object.keys(a).length &&
    keys.every((k) =>
      k === 'ports' ? (a.ports ?? []).join('\n') === (b.ports ?? []).join('\n') : a[k] === b[k],
    )
  );
}

const sameConnection = (a: Connection, b: Connection) =>
  Object.keys(b).length === Object.keys(a).length &&
  (Object.keys(b) as (keyof Connection)[]).every((k) => a[k] === b[k]);

/**
 * The new batch, but with the previous object for every instance whose figures did not change:
 * rows keyed on their metrics object then skip re-rendering on a tick that changed nothing for them.
 */
function keepUnchanged(
  previous: Record<string, InstanceMetrics>,
  batch: Record<string, InstanceMetrics>,
): Record<string, InstanceMetrics> {
  const out: Record<string, InstanceMetrics> = {};
  for (const [name, m] of Object.entries(batch)) {
    const old = previous[name];
    out[name] = old && sameMetrics(old, m) ? old : m;
  }
  return out;
}

export function createTuiStore(initial: Partial<TuiState> = {}): TuiStoreApi {
  // Ids of every alert in the store, kept alongside so a new batch is checked without a rebuild.
  const alertIds = new Set((initial.alerts ?? []).map((a) => a.id));
  return createStore<TuiStore>()((set) => {
    const setUi = (change: Partial<UiState>) => set((s) => ({ ui: { ...s.ui, ...change } }));
    return {
      workspaces: [],
      instances: {},
      metrics: {},
      agentStates: {},
      alerts: [],
      connection: { state: 'connecting' },
      ...initial,
      ui: { ...initialUi(), ...initial.ui },

      // An update that changes nothing returns the state itself: zustand then notifies no one,
      // so a poll of unchanged slots re-renders nothing (Ink would rebuild its whole frame).
      upsertInstance: (instance) =>
        set((s) => {
          const old = s.instances[instance.name];
          if (old && sameSlot(old, instance)) return s;
          return {
            instances: { ...s.instances, [instance.name]: instance },
            workspaces: withWorkspace(s.workspaces, instance.workspace),
          };
        }),
      removeInstance: (name) =>
        set((s) => {
          if (!(name in s.instances)) return {};
          const { [name]: _gone, ...instances } = s.instances;
          const { [name]: _m, ...metrics } = s.metrics;
          return { instances, metrics };
        }),
      setMetrics: (batch) =>
        set((s) => {
          const metrics = keepUnchanged(s.metrics, batch);
          const names = Object.keys(metrics);
          const unchanged =
            names.length === Object.keys(s.metrics).length &&
            names.every((name) => metrics[name] === s.metrics[name]);
          return unchanged ? s : { metrics };
        }),
      setAgentStates: (batch) => set({ agentStates: { ...batch } }),
      addAlerts: (incoming) =>
        set((s) => {
          const fresh = incoming.filter((a) => {
            if (alertIds.has(a.id)) return false;
            alertIds.add(a.id);
            return true;
          });
          return fresh.length === 0 ? {} : { alerts: [...s.alerts, ...fresh] };
        }),
      ackAlert: (id) =>
        set((s) => ({
          alerts: s.alerts.map((a) =>
            a.id === id && !a.acknowledged ? { ...a, acknowledged: true } : a,
          ),
        })),
      setWorkspaces: (names) =>
        set((s) =>
          names.every((name) => s.workspaces.includes(name))
            ? s
            : { workspaces: [...new Set([...s.workspaces, ...names])].sort(byNaturalName) },
        ),
      setConnection: (connection) =>
        set((s) => {
          if (sameConnection(s.connection, connection)) return s;
          const stale = connection.state === 'connected' && s.status?.whileOffline;
          return stale ? { connection, status: undefined } : { connection };
        }),
      setStatus: (status) => set({ status }),

      focusPane: (focus) => setUi({ focus }),
      selectRow: (selectedRowKey) => setUi({ selectedRowKey }),
      selectAlert: (selectedAlertId) => setUi({ selectedAlertId }),
      setCollapsed: (workspace, collapsed) =>
        set((s) => ({ ui: { ...s.ui, collapsed: { ...s.ui.collapsed, [workspace]: collapsed } } })),
      setFilterText: (text) => set((s) => ({ ui: { ...s.ui, filter: { ...s.ui.filter, text } } })),
      setFilterEditing: (editing) =>
        set((s) => ({ ui: { ...s.ui, filter: { ...s.ui.filter, editing } } })),
      cycleSort: () =>
        set((s) => {
          const next = SORT_KEYS[(SORT_KEYS.indexOf(s.ui.sort) + 1) % SORT_KEYS.length] ?? 'slot';
          return { ui: { ...s.ui, sort: next } };
        }),
      openOverlay: (overlay) => setUi({ overlay }),
      openConfirm: (request) =>
        set((s) => {
          const returnTo = s.ui.overlay.kind === 'slot-view' ? s.ui.overlay : undefined;
          const confirm = {
            request,
            focused: 'cancel' as const,
            typed: '',
            ...(returnTo ? { returnTo } : {}),
          };
          return { ui: { ...s.ui, overlay: { kind: 'confirm', confirm } } };
        }),
      updateConfirm: (change) =>
        set((s) => {
          if (s.ui.overlay.kind !== 'confirm') return {};
          const confirm = { ...s.ui.overlay.confirm, ...change };
          return { ui: { ...s.ui, overlay: { kind: 'confirm', confirm } } };
        }),
      closeOverlay: () =>
        set((s) => {
          const { overlay } = s.ui;
          const back = overlay.kind === 'confirm' ? overlay.confirm.returnTo : undefined;
          return { ui: { ...s.ui, overlay: back ?? { kind: 'none' } } };
        }),
      setAttached: (attached) => setUi({ attached }),
      setZoomed: (zoomed) => setUi({ zoomed }),
      openSlotView: (view, container) =>
        set((s) => ({
          slotView: undefined,
          slotViewError: undefined,
          ui: {
            ...s.ui,
            overlay: {
              kind: 'slot-view',
              view,
              container,
              selected: 0,
              logsTab: 'session',
              follow: true,
            },
          },
        })),
      updateSlotView: (change) =>
        set((s) =>
          s.ui.overlay.kind === 'slot-view'
            ? { ui: { ...s.ui, overlay: { ...s.ui.overlay, ...change } } }
            : {},
        ),
      setSlotViewData: (slotView) => set({ slotView, slotViewError: undefined }),
      setSlotViewError: (slotViewError) => set({ slotViewError }),
    };
  });
}
