import type { TuiStoreApi } from '../state/store.js';
import { DETACH_KEY } from './commands.js';
import { decodeKeys } from './decode-keys.js';
import { dispatchKey, type DispatchContext } from './dispatch.js';

/** Receives raw bytes for the attached terminal pane. */
export type PassthroughSink = (bytes: string) => void;

const DETACH_BYTE = String.fromCharCode(DETACH_KEY.charCodeAt(DETACH_KEY.length - 1) - 0x60);

/**
 * Turns raw stdin chunks into dashboard commands, or — while a terminal pane is attached — hands
 * them on byte-exact, watching only for the detach chord. Bytes after the chord in the same chunk
 * belong to the dashboard again.
 */
export function createInputRouter(
  ctx: DispatchContext,
  passthrough?: PassthroughSink,
): (chunk: string) => void {
  const store: TuiStoreApi = ctx.store;
  return function route(chunk: string): void {
    if (store.getState().ui.attached !== undefined && passthrough) {
      const chord = chunk.indexOf(DETACH_BYTE);
      if (chord < 0) return passthrough(chunk);
      if (chord > 0) passthrough(chunk.slice(0, chord));
      dispatchKey(ctx, { name: DETACH_KEY });
      chunk = chunk.slice(chord + 1);
    }
    for (const key of decodeKeys(chunk)) dispatchKey(ctx, key);
  };
}
