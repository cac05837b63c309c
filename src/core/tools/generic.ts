import type { ToolAdapter } from './types.js';

/** Any other agent CLI named by `[tool] binary`: started as is, no state saved, no native context. */
export function genericTool(binary: string): ToolAdapter {
  return {
    name: binary.split('/').pop() ?? binary,
    defaultBinary: binary,
    stateDir: undefined,
    printMode: false,
    command: (bin) => [bin],
    homeFiles: () => [],
  };
}
