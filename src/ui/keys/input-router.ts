import type { TuiStoreApi } from '../state/store.js';
import { DETACH_KEY } from './commands.js';
import { decodeKeys } from './decode-keys.js';
import { dispatchKey, type DispatchContext } from './dispatch.js';
import { MouseSplitter, type MouseEvent } from './mouse-input.js';

/** Receives raw bytes for the attached terminal pane. */
export type PassthroughSink = (bytes: string) => void;

/** Where mouse reports go: the dashboard, or (as bytes) the attached pane. */
export interface MouseRouting {
  onMouse: (event: MouseEvent) => void;
  /** The report as the pane's program wants it; undefined drops it (it does not track the mouse). */
  forPane: (event: MouseEvent) => string | undefined;
}

const DETACH_BYTE = String.fromCharCode(DETACH_KEY.charCodeAt(DETACH_KEY.length - 1) - 0x60);
/** How long a mouse report cut off by a read waits for its end before it counts as keys. */
const HOLD_MS = 20;

/**
 * Turns raw stdin chunks into dashboard commands, or — while a terminal pane is attached — hands
 * them on byte-exact, watching only for the detach chord. Bytes after the chord in the same chunk
 * belong to the dashboard again. Mouse reports are cut out first and never read as keys.
 */
export function createInputRouter(
  ctx: DispatchContext,
  passthrough?: PassthroughSink,
  mouse?: MouseRouting,
): (chunk: string) => void {
  const store: TuiStoreApi = ctx.store;
  const splitter = new MouseSplitter();
  let holdTimer: NodeJS.Timeout | undefined;
  const attached = () => store.getState().ui.attached !== undefined && passthrough !== undefined;

  function routeText(chunk: string): void {
    if (attached() && passthrough) {
      const chord = chunk.indexOf(DETACH_BYTE);
      if (chord < 0) return passthrough(chunk);
      if (chord > 0) passthrough(chunk.slice(0, chord));
      dispatchKey(ctx, { name: DETACH_KEY });
      chunk = chunk.slice(chord + 1);
    }
    for (const key of decodeKeys(chunk)) dispatchKey(ctx, key);
  }

  function routeMouse(event: MouseEvent): void {
    if (!attached()) return mouse?.onMouse(event);
    const bytes = mouse?.forPane(event);
    if (bytes !== undefined) passthrough?.(bytes);
  }

  return function route(chunk: string): void {
    clearTimeout(holdTimer);
    for (const piece of splitter.split(chunk)) {
      if ('mouse' in piece) routeMouse(piece.mouse);
      else routeText(piece.text);
    }
    if (splitter.holding) holdTimer = setTimeout(() => routeText(splitter.flush()), HOLD_MS);
  };
}
