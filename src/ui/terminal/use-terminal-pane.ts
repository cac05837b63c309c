import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ThreatAlert } from '../state/types.js';
import type { PaneScreen, TerminalView } from './terminal-controller.js';

const NO_TERMINAL: TerminalView = {
  subscribe: () => () => {},
  getSnapshot: () => undefined,
  setSize: () => {},
};

/** Keeps the pty sized to the pane's inner size (attached or not: the next attach uses it). */
export function usePaneSize(
  terminal: TerminalView | undefined,
  inner: { cols: number; rows: number },
): void {
  const view = terminal ?? NO_TERMINAL;
  useEffect(() => view.setSize(inner.cols, inner.rows), [view, inner.cols, inner.rows]);
}

/**
 * The embedded terminal's current screen. Used by the pane alone: a pane frame then re-renders
 * the pane, not the whole room.
 */
export function usePaneScreen(terminal: TerminalView | undefined): PaneScreen | undefined {
  const view = terminal ?? NO_TERMINAL;
  return useSyncExternalStore(view.subscribe, view.getSnapshot, view.getSnapshot);
}

const URGENT = new Set(['high', 'critical']);

/**
 * The newest unacknowledged high/critical alert that arrived after `attached` was attached, for
 * the banner above the pane. Alerts are kept in arrival order, so "after" is an index mark.
 */
export function useAttachBanner(
  attached: string | undefined,
  alerts: readonly ThreatAlert[],
): ThreatAlert | undefined {
  const mark = useRef<{ name: string | undefined; index: number }>({ name: undefined, index: 0 });
  if (mark.current.name !== attached) mark.current = { name: attached, index: alerts.length };
  if (attached === undefined) return undefined;
  for (let i = alerts.length - 1; i >= mark.current.index; i--) {
    const alert = alerts[i]!;
    if (!alert.acknowledged && URGENT.has(alert.severity)) return alert;
  }
  return undefined;
}
