import type { EndResult } from '../core/session/end.js';
import type { Session } from '../core/session/launch.js';
import { tmuxSessionName } from '../shared/naming.js';

/**
 * What `coi shell` prints where people and scripts wait, in the Go coi's words (automation written
 * for it matches them); lines of our own come after the Go ones they add to.
 */

export type ShellMode = 'interactive' | 'background' | 'direct';

const MODE: Record<ShellMode, string> = {
  interactive: 'Mode: Interactive (tmux)',
  background: 'Mode: Background (tmux)',
  direct: 'Mode: Direct (no tmux)',
};

/** Right before the agent is shown (or, with --background, left running). */
export function startingSessionLines(
  session: Session,
  mode: ShellMode,
  resumed: boolean,
): string[] {
  const lines = [
    '',
    'Starting session...',
    `Session ID: ${session.sessionId}`,
    `Container: ${session.container}`,
    `Workspace: ${session.workspace}`,
    `Slot: ${session.slot} (${session.persistent ? 'persistent' : 'ephemeral'})`,
    MODE[mode],
  ];
  if (resumed) {
    lines.push(
      session.reused
        ? 'Resume mode: Persistent session'
        : 'Resume mode: Restored conversation (auto-detect)',
    );
  }
  lines.push('');
  if (mode === 'background') {
    const name = session.container;
    lines.push(
      `Created background tmux session: ${tmuxSessionName(name)}`,
      `Use 'coi tmux capture ${name}' to view output`,
      `Use 'coi tmux send ${name} "<command>"' to send commands`,
    );
  }
  return lines;
}

/** The terminal returned: what is done about the session comes next. */
export const CLEANING_UP = '\nCleaning up session...';

/** The user detached, or left tmux: the container runs on. */
export const KEPT_RUNNING =
  "[cleanup] Container kept running - use 'coi attach' to reconnect, 'coi shutdown' to stop, or 'coi kill' to force stop";

/** The session was ended: where its state went and what became of its container. */
export function sessionEndedLines(container: string, ended: EndResult): string[] {
  const lines = ended.saved
    ? [
        `[cleanup] Saving session data to ${ended.saved.dir}`,
        '[cleanup] Session data saved successfully',
      ]
    : [];
  if (!ended.existed) lines.push('[cleanup] Container was already removed');
  else if (ended.deleted) {
    lines.push(
      ended.saved
        ? '[cleanup] Container removed (session data saved for --resume)'
        : '[cleanup] Container removed',
      `Container ${container} deleted.`,
    );
  } else {
    lines.push(
      "[cleanup] Container kept (stopped) - run 'coi shell' in this workspace to start it again",
      `Container ${container} kept (persistent).`,
    );
  }
  return lines;
}
