import { describe, expect, test } from 'vitest';
import type { KeyMode } from '../../../../src/ui/keys/command.js';
import { COMMANDS } from '../../../../src/ui/keys/commands.js';
import { dispatchKey, runCommand } from '../../../../src/ui/keys/dispatch.js';
import { MODE_STACKS, commandFor } from '../../../../src/ui/keys/key-matchers.js';
import type { Pane } from '../../../../src/ui/state/ui-types.js';
import { alert, populatedStore, recordingActions } from '../helpers.js';

type Stack = keyof typeof MODE_STACKS;

interface Case {
  id: string;
  /** The modes live when the keys are pressed (the command's own mode stack by default). */
  stack: Stack;
  focus?: Pane;
  match: string[];
  noMatch: string[];
}

/** For each command: the keys that must reach it, and keys that must not (look-alikes, other modes). */
const CASES: Case[] = [
  { id: 'help', stack: 'dashboard', match: ['?'], noMatch: ['/', 'h'] },
  { id: 'quit', stack: 'dashboard', match: ['q', 'ctrl-c'], noMatch: ['Q', 'ctrl-q', 'escape'] },
  { id: 'pane', stack: 'dashboard', match: ['tab', 'shift-tab'], noMatch: ['right', 'ctrl-i'] },
  { id: 'up', stack: 'dashboard', match: ['up', 'k'], noMatch: ['K', 'pageup', 'down'] },
  { id: 'down', stack: 'dashboard', match: ['down', 'j'], noMatch: ['J', 'pagedown', 'up'] },
  { id: 'page-up', stack: 'dashboard', match: ['pageup'], noMatch: ['up', 'pagedown'] },
  { id: 'page-down', stack: 'dashboard', match: ['pagedown'], noMatch: ['down', 'pageup'] },
  {
    id: 'jump',
    stack: 'dashboard',
    match: ['1', '5', '9', '0'],
    noMatch: ['!', 'alt-1', 'a'],
  },
  { id: 'collapse', stack: 'dashboard', match: ['left', 'h'], noMatch: ['H', 'right'] },
  { id: 'collapse', stack: 'dashboard', focus: 'alerts', match: [], noMatch: ['left', 'h'] },
  { id: 'expand', stack: 'dashboard', match: ['right', 'l'], noMatch: ['L', 'left'] },
  { id: 'expand', stack: 'dashboard', focus: 'alerts', match: [], noMatch: ['right', 'l'] },
  { id: 'open', stack: 'dashboard', match: ['enter'], noMatch: ['space', 'o'] },
  { id: 'next-needing-you', stack: 'dashboard', match: ['w'], noMatch: ['W', 'ctrl-w', 'n'] },
  {
    id: 'next-needing-you',
    stack: 'dashboard',
    focus: 'alerts',
    match: ['w'],
    noMatch: ['W'],
  },
  { id: 'attach', stack: 'dashboard', match: ['a'], noMatch: ['A', 'ctrl-a'] },
  { id: 'detach', stack: 'dashboard', match: ['ctrl-q'], noMatch: ['q', 'escape'] },
  { id: 'zoom', stack: 'dashboard', match: ['z'], noMatch: ['Z'] },
  { id: 'pause', stack: 'dashboard', match: ['p'], noMatch: ['P', 'space'] },
  { id: 'resume', stack: 'dashboard', match: ['r'], noMatch: ['R'] },
  { id: 'kill', stack: 'dashboard', match: ['K'], noMatch: ['k', 'ctrl-k', 'X'] },
  { id: 'snapshot', stack: 'dashboard', match: ['S'], noMatch: ['s'] },
  { id: 'new-slot', stack: 'dashboard', match: ['n'], noMatch: ['N'] },
  { id: 'build-image', stack: 'dashboard', match: ['B'], noMatch: ['b', 'ctrl-b'] },
  { id: 'shutdown', stack: 'dashboard', match: ['D'], noMatch: ['d', 'ctrl-d'] },
  { id: 'ack', stack: 'dashboard', match: ['A'], noMatch: ['a'] },
  { id: 'pause-flagged', stack: 'dashboard', match: ['P'], noMatch: ['p'] },
  { id: 'kill-flagged', stack: 'dashboard', match: ['X'], noMatch: ['x', 'K'] },
  { id: 'filter', stack: 'dashboard', match: ['/'], noMatch: ['?', '\\'] },
  { id: 'clear', stack: 'dashboard', match: ['escape'], noMatch: ['ctrl-c', 'backspace'] },
  { id: 'sort', stack: 'dashboard', match: ['s'], noMatch: ['S'] },
  {
    id: 'help.close',
    stack: 'help',
    match: ['escape', '?', 'q', 'enter'],
    noMatch: ['ctrl-c', 'K', 'a'],
  },
  { id: 'help.up', stack: 'help', match: ['up', 'k'], noMatch: ['pageup', 'K'] },
  { id: 'help.down', stack: 'help', match: ['down', 'j'], noMatch: ['pagedown', 'J'] },
  { id: 'help.page-up', stack: 'help', match: ['pageup'], noMatch: ['up'] },
  { id: 'help.page-down', stack: 'help', match: ['pagedown'], noMatch: ['down'] },
  {
    id: 'detail.close',
    stack: 'alertDetail',
    match: ['escape', 'enter', 'q'],
    noMatch: ['?', 'ctrl-c'],
  },
  { id: 'detail.ack', stack: 'alertDetail', match: ['A'], noMatch: ['a', 'K'] },
  {
    id: 'confirm.cancel',
    stack: 'buttonDialog',
    match: ['escape', 'ctrl-c'],
    noMatch: ['q', 'n', 'enter'],
  },
  { id: 'confirm.cancel', stack: 'typedDialog', match: ['escape', 'ctrl-c'], noMatch: ['q'] },
  {
    id: 'buttons.toggle',
    stack: 'buttonDialog',
    match: ['left', 'right', 'tab', 'shift-tab', 'h', 'l'],
    noMatch: ['up', 'down', 'y'],
  },
  // While the count is typed, h and l are text, not a button switch.
  { id: 'buttons.toggle', stack: 'typedDialog', match: [], noMatch: ['h', 'l', 'left', 'tab'] },
  { id: 'buttons.press', stack: 'buttonDialog', match: ['enter'], noMatch: ['space', 'y'] },
  { id: 'typed.submit', stack: 'typedDialog', match: ['enter'], noMatch: ['space'] },
  { id: 'filter.apply', stack: 'filter', match: ['enter'], noMatch: ['tab'] },
  { id: 'filter.cancel', stack: 'filter', match: ['escape', 'ctrl-c'], noMatch: ['q'] },
  { id: 'field.delete', stack: 'filter', match: ['backspace'], noMatch: ['delete', 'left'] },
  { id: 'field.delete', stack: 'typedDialog', match: ['backspace'], noMatch: ['delete'] },
  { id: 'field.clear', stack: 'filter', match: ['ctrl-u'], noMatch: ['u', 'escape'] },
  { id: 'field.clear', stack: 'typedDialog', match: ['ctrl-u'], noMatch: ['u'] },
  { id: 'processes', stack: 'dashboard', match: ['t'], noMatch: ['T', 'ctrl-t'] },
  { id: 'details', stack: 'dashboard', match: ['i'], noMatch: ['I', 'tab'] },
  { id: 'logs', stack: 'dashboard', match: ['L'], noMatch: ['l', 'ctrl-l'] },
  { id: 'snapshots', stack: 'dashboard', match: ['v'], noMatch: ['V', 'S'] },
  { id: 'view.close', stack: 'details', match: ['escape', 'q'], noMatch: ['enter', 'ctrl-c'] },
  { id: 'view.close', stack: 'processes', match: ['escape', 'q'], noMatch: ['Q'] },
  { id: 'view.up', stack: 'logs', match: ['up', 'k'], noMatch: ['K', 'pageup'] },
  { id: 'view.down', stack: 'snapshots', match: ['down', 'j'], noMatch: ['J', 'pagedown'] },
  { id: 'view.page-up', stack: 'details', match: ['pageup'], noMatch: ['up'] },
  { id: 'view.page-down', stack: 'details', match: ['pagedown'], noMatch: ['down'] },
  { id: 'processes.kill', stack: 'processes', match: ['K'], noMatch: ['k', 'X', 'D'] },
  // K in the other views is not a kill of anything.
  { id: 'processes.kill', stack: 'snapshots', match: [], noMatch: ['K'] },
  { id: 'logs.tab', stack: 'logs', match: ['tab', 'shift-tab'], noMatch: ['right'] },
  { id: 'logs.follow', stack: 'logs', match: ['f'], noMatch: ['F'] },
  { id: 'snapshots.create', stack: 'snapshots', match: ['c'], noMatch: ['C', 'S'] },
  { id: 'snapshots.restore', stack: 'snapshots', match: ['R'], noMatch: ['r'] },
  { id: 'snapshots.delete', stack: 'snapshots', match: ['d'], noMatch: ['D', 'backspace'] },
  { id: 'snapshots.delete', stack: 'logs', match: [], noMatch: ['d'] },
  { id: 'network', stack: 'dashboard', match: ['N'], noMatch: ['n', 'ctrl-n'] },
  { id: 'view.close', stack: 'network', match: ['escape', 'q'], noMatch: ['Q'] },
  { id: 'view.down', stack: 'network', match: ['down', 'j'], noMatch: ['J'] },
  { id: 'network.allow', stack: 'network', match: ['a'], noMatch: ['A', 'ctrl-a'] },
  // a in the other views allows nothing (and attaches nothing).
  { id: 'network.allow', stack: 'processes', match: [], noMatch: ['a'] },
  { id: 'network.block', stack: 'network', match: ['b'], noMatch: ['B', 'ctrl-b'] },
  { id: 'network.block', stack: 'snapshots', match: [], noMatch: ['b'] },
  { id: 'network.follow', stack: 'network', match: ['f'], noMatch: ['F'] },
  { id: 'logs.follow', stack: 'network', match: [], noMatch: ['f'] },
];

/** Keys that must reach no command at all in a stack: text in a field, dashboard keys elsewhere. */
const UNBOUND: Array<{ stack: Stack; keys: string[] }> = [
  { stack: 'filter', keys: ['q', 'K', 'X', 'D', '?', 'space', 'paste', 'up', 'w'] },
  { stack: 'typedDialog', keys: ['1', 'q', 'K', 'h', 'space', 'paste', 'w'] },
  { stack: 'buttonDialog', keys: ['K', 'q', 'a', 'backspace', '1', 'w'] },
  { stack: 'help', keys: ['K', 'D', 'X', 'a', 'tab', '/', 'w'] },
  { stack: 'alertDetail', keys: ['K', 'D', 'X', 'a', 'tab', 'up', 'w'] },
  // No dashboard action reaches through an open view.
  { stack: 'details', keys: ['K', 'D', 'X', 'a', 'p', 'n', 'tab', 'c', 'd', 'R', 'w'] },
  { stack: 'processes', keys: ['D', 'X', 'a', 'p', 'S', 'c', 'd', 'w'] },
  { stack: 'snapshots', keys: ['K', 'D', 'X', 'a', 'p', 'S', 'w'] },
  { stack: 'logs', keys: ['K', 'D', 'X', 'a', 'p', 'c', 'w'] },
  { stack: 'network', keys: ['K', 'D', 'X', 'A', 'p', 'n', 'c', 'd', 'tab', 'w'] },
];

/** A view's own commands act on its rows: open it on the selected slot, with one row. */
function openViewOf(mode: KeyMode, store: ReturnType<typeof populatedStore>): void {
  const container = 'coi-0000ws-1-1';
  const s = store.getState();
  if (mode === 'processes') {
    s.openSlotView('processes', container);
    s.setSlotViewData({
      view: 'processes',
      container,
      processes: [{ pid: 42, user: 'code', cpuPercent: 1, rssBytes: 1, command: 'sleep 9' }],
    });
  }
  if (mode === 'network') {
    s.openSlotView('network', container);
    s.setSlotViewData({
      view: 'network',
      container,
      decisions: [
        {
          time: 0,
          source: 'proxy',
          verdict: 'allowed',
          name: 'api.example.com',
          address: '192.0.2.7',
          port: 443,
          reason: 'SNI on the allowlist',
        },
      ],
    });
  }
  if (mode === 'snapshots') {
    // Stopped: a restore needs no stop first, and is refused for a running ephemeral session.
    s.upsertInstance({ ...s.instances[container]!, state: 'stopped' });
    s.openSlotView('snapshots', container);
    s.setSlotViewData({
      view: 'snapshots',
      container,
      snapshots: [
        { name: 'snap-1', createdAt: '2026-11-23T12:00:00Z', stateful: false, sizeBytes: 1 },
      ],
    });
  }
}

const find = (stack: Stack, key: string, focus: Pane = 'slots') =>
  commandFor(MODE_STACKS[stack], focus, { name: key })?.id;

describe('key matchers', () => {
  test.each(CASES)('$id in $stack ($focus)', ({ id, stack, focus, match, noMatch }) => {
    for (const key of match) expect(find(stack, key, focus), key).toBe(id);
    for (const key of noMatch) expect(find(stack, key, focus), key).not.toBe(id);
  });

  test.each(UNBOUND)('$stack leaves $keys to no command', ({ stack, keys }) => {
    for (const key of keys) expect(find(stack, key), key).toBeUndefined();
  });

  test('the table covers every registered command, each in a stack that has its mode', () => {
    const reached = CASES.filter((c) => c.match.length > 0);
    expect(new Set(reached.map((c) => c.id))).toEqual(new Set(COMMANDS.map((c) => c.id)));
    for (const c of reached) {
      const mode = COMMANDS.find((command) => command.id === c.id)?.mode as KeyMode;
      expect(MODE_STACKS[c.stack], c.id).toContain(mode);
    }
  });
});

describe('dangerous commands', () => {
  test('are exactly the ones that destroy, stop, act on many containers or take minutes', () => {
    expect(COMMANDS.filter((c) => c.dangerous).map((c) => c.id)).toEqual([
      'kill',
      'build-image',
      'shutdown',
      'pause-flagged',
      'kill-flagged',
      'processes.kill',
      'snapshots.restore',
      'snapshots.delete',
      'network.block',
    ]);
  });

  test('the dispatcher asks first: pressing the key opens a confirmation and calls nothing', () => {
    for (const command of COMMANDS.filter((c) => c.dangerous)) {
      const store = populatedStore(1, 2);
      store.getState().addAlerts([alert(1, { container: 'coi-0000ws-1-1' })]);
      store.getState().selectRow('slot:coi-0000ws-1-1');
      openViewOf(command.mode, store);
      const { actions, calls } = recordingActions();
      dispatchKey({ store, actions, exit: () => {} }, { name: command.keys[0]! });
      expect(store.getState().ui.overlay.kind, command.id).toBe('confirm');
      expect(calls, command.id).toEqual([]);
    }
  });

  test('runCommand runs a plain command at once and a dangerous one only on confirm', () => {
    const store = populatedStore(1, 1);
    const ctx = { store, actions: recordingActions().actions, exit: () => {}, key: { name: 'x' } };
    const ran: string[] = [];
    const info = {
      keys: ['x'],
      keyLabel: 'x',
      title: 't',
      help: 'h',
      mode: 'dashboard',
      scope: 'global',
      visible: false,
    } as const;
    runCommand({ ...info, id: 'plain', run: () => ran.push('plain') }, ctx);
    expect(ran).toEqual(['plain']);
    expect(store.getState().ui.overlay.kind).toBe('none');

    runCommand(
      {
        ...info,
        id: 'risky',
        dangerous: true,
        prepare: () => ({
          consequence: { title: 'Do it?', lines: ['all of it'], confirmLabel: 'Do it' },
          run: () => ran.push('risky'),
        }),
      },
      ctx,
    );
    const { overlay } = store.getState().ui;
    expect(overlay.kind === 'confirm' && overlay.confirm.request).toMatchObject({
      title: 'Do it?',
      lines: ['all of it'],
      confirmLabel: 'Do it',
    });
    expect(ran).toEqual(['plain']);
    dispatchKey(ctx, { name: 'right' });
    dispatchKey(ctx, { name: 'enter' });
    expect(ran).toEqual(['plain', 'risky']);
  });

  test('a dangerous command with nothing to act on opens no dialog', () => {
    const store = populatedStore(1, 1);
    const ctx = { store, actions: recordingActions().actions, exit: () => {} };
    dispatchKey(ctx, { name: 'X' });
    expect(store.getState().ui.overlay.kind).toBe('none');
    expect(store.getState().status?.text).toContain('No flagged containers');
  });
});
