import { join } from 'node:path';
import { PtySession } from '../../src/ui/terminal/pty-session.js';
import type { CoiSandbox } from './coi-cli.js';
import { runsToText } from './screen-text.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'coi.js');

/** `coi tui` of the sandbox on a real pseudo-terminal of `cols`×`rows`, in `workspace`. */
export function startTuiPty(
  box: CoiSandbox,
  workspace: string,
  size: { cols: number; rows: number },
  env: Record<string, string> = {},
): PtySession {
  return new PtySession(
    {
      file: process.execPath,
      args: [BIN, 'tui'],
      cwd: workspace,
      env: {
        PATH: process.env.PATH,
        HOME: box.home,
        COI_CONTAINER_PREFIX: box.prefix,
        TERM: 'xterm-256color',
        ...env,
      },
    },
    { ...size, frameMs: 5 },
  );
}

export const screenOf = (tui: PtySession) => tui.snapshot().lines.map(runsToText).join('\n');

/** The screen once `check` holds; the screen in the error when it does not within `ms`. */
export async function waitFor(
  tui: PtySession,
  check: (screen: string) => boolean,
  what: string,
  ms = 15_000,
): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const screen = screenOf(tui);
    if (check(screen)) return screen;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const showing = (tui: PtySession, text: string, ms?: number) =>
  waitFor(tui, (s) => s.includes(text), JSON.stringify(text), ms);

export async function until(
  check: () => Promise<boolean>,
  what: string,
  ms = 15_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
