import type { Progress } from '../../src/core/progress.js';

/** A progress sink that shows nothing. */
export const silentProgress: Progress = {
  step() {},
  update() {},
  info() {},
  done() {},
};
