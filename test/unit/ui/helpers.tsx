import { stripVTControlCharacters } from 'node:util';
import { App } from '../../../src/ui/App.js';
import { renderSized } from './harness.js';
import type { SlotViewSink } from '../../../src/core/control-room/slot-view-types.js';
import type { TuiActions } from '../../../src/ui/actions/tui-actions.js';
import type { Size } from '../../../src/ui/layout/layout.js';
import { createTuiStore, type TuiStoreApi } from '../../../src/ui/state/store.js';
import type { SlotInstance, ThreatAlert } from '../../../src/ui/state/types.js';

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

export function instance(
  workspace: string,
  slot: number,
  extra: Partial<SlotInstance> = {},
): SlotInstance {
  return {
    name: `coi-${workspace.slice(-8).padStart(8, '0')}-${slot}`,
    workspace,
    slot,
    state: 'running',
    frozenByThreat: false,
    tool: 'claude',
    persistent: slot % 2 === 0,
    ipv4: `10.99.0.${slot + 10}`,
    startedAt: NOW - slot * 3_600_000,
    ...extra,
  };
}

export function alert(n: number, extra: Partial<ThreatAlert> = {}): ThreatAlert {
  return {
    id: `alert-${n}`,
    time: NOW + n * 50,
    severity: 'high',
    container: 'coi-0000ws-1-1',
    slot: 1,
    workspace: 'ws-1',
    title: `Unexpected network connection #${n}`,
    action: 'alerted',
    evidence: { remote_addr: '10.99.0.1:4444', pid: 4242 },
    acknowledged: false,
    ...extra,
  };
}

/** A store with `workspaces` × `slots` running containers and metrics for all of them. */
export function populatedStore(workspaces: number, slots: number): TuiStoreApi {
  const store = createTuiStore();
  const s = store.getState();
  s.setConnection({ state: 'connected' });
  const metrics: Record<string, Parameters<typeof s.setMetrics>[0][string]> = {};
  for (let w = 1; w <= workspaces; w++) {
    for (let n = 1; n <= slots; n++) {
      const inst = instance(`ws-${w}`, n);
      s.upsertInstance(inst);
      metrics[inst.name] = {
        cpuPercent: n * 7.5,
        memoryUsedBytes: n * 300 * 1024 ** 2,
        memoryLimitBytes: 4 * 1024 ** 3,
        netRxBytesPerSec: n * 1500,
        netTxBytesPerSec: n * 200,
      };
    }
  }
  s.setMetrics(metrics);
  return store;
}

export type Call = [method: keyof TuiActions, arg: string];

/** Records every call; methods listed in `failing` reject with that message. */
export function recordingActions(failing: Partial<Record<keyof TuiActions, string>> = {}) {
  const calls: Call[] = [];
  const views: { sink?: SlotViewSink } = {};
  /** The image new slots start from; a test may make it missing. */
  const image = { image: 'coi-default', missing: false };
  const record =
    <T,>(method: keyof TuiActions, result: T) =>
    async (arg: string): Promise<T> => {
      calls.push([method, arg]);
      const failure = failing[method];
      if (failure !== undefined) throw new Error(failure);
      return result;
    };
  const actions: TuiActions = {
    attach: record('attach', undefined),
    pause: record('pause', undefined),
    resume: record('resume', undefined),
    kill: record('kill', undefined),
    snapshot: record('snapshot', 'snap-1'),
    newSlot: record('newSlot', 'coi-new-3'),
    shutdown: record('shutdown', undefined),
    ack: record('ack', undefined),
    // Asked before every new slot, so not recorded: `image.missing` says what it answers.
    slotImage: async () => ({ ...image, buildable: true, estimate: 'about 10 minutes' }),
    buildImage: async (onProgress) => {
      calls.push(['buildImage', image.image]);
      onProgress('Installing the agents 50%');
      image.missing = false;
      return image.image;
    },
    // The open slot view's feed: the test delivers data through `views.sink`.
    watchSlotView: (view, name, sink) => {
      calls.push(['watchSlotView', `${view} ${name}`]);
      views.sink = sink;
      return () => calls.push(['watchSlotView', `stop ${view} ${name}`]);
    },
    killProcess: (name, pid) => record('killProcess', undefined)(`${name} ${pid}`),
    restoreSnapshot: (name, snap, stopFirst) =>
      record('restoreSnapshot', undefined)(`${name} ${snap}${stopFirst ? ' stop-first' : ''}`),
    deleteSnapshot: (name, snap) => record('deleteSnapshot', undefined)(`${name} ${snap}`),
    changeAllowlist: (verb, name, domain) =>
      record('changeAllowlist', `${domain} ${verb}ed for ${name}`)(`${verb} ${name} ${domain}`),
  };
  return { actions, calls, image, views };
}

/** Lets React commit and Ink re-arm its input handling (a macrotask after each input). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
  }
}

export function renderApp(
  store: TuiStoreApi,
  actions: TuiActions,
  size: Size = { cols: 80, rows: 24 },
) {
  const view = renderSized(
    <App store={store} actions={actions} clock={() => NOW} frameMs={0} />,
    size.cols,
    size.rows,
  );
  const lines = () => stripVTControlCharacters(view.lastFrame() ?? '').split('\n');
  const screen = () => lines().join('\n');
  const press = async (...chunks: string[]) => {
    for (const chunk of chunks) {
      view.stdin.write(chunk);
      await settle();
    }
  };
  return { ...view, lines, screen, press };
}

export const KEY = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  backspace: '\x7f',
} as const;
