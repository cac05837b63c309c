import { tmuxSessionName } from '../../shared/naming.js';
import type { IncusApi } from '../../incus/index.js';
import type { AuditRecord } from '../audit/record.js';
import { followAudit, type AuditFollower } from '../audit/tail.js';
import { activeAuditFile } from '../audit/files.js';

const COLOURS = { info: '36', warning: '33', high: '31', critical: '1;31' } as const;

const ACTION_TEXT: Record<AuditRecord['action'], string> = {
  logged: 'logged',
  alerted: 'alerted (no automatic action)',
  paused: 'container paused: inspect it, then `coi unfreeze <name>` or `coi kill <name>`',
  killed: 'container killed and deleted (a forensic copy is kept when forensics_on_kill is on)',
  deduplicated: 'folded into an earlier alert',
};

/** The `SECURITY ALERT [LEVEL]` block of a terminal; `colour`: ANSI colours (a tty). */
export function formatAlertBlock(record: AuditRecord, colour: boolean): string {
  const paint = (text: string) => (colour ? `\x1b[${COLOURS[record.level]}m${text}\x1b[0m` : text);
  const action = ACTION_TEXT[record.action].replace('<name>', record.container);
  return [
    paint(`━━ SECURITY ALERT [${record.level.toUpperCase()}] ━━ ${record.container}`),
    paint(record.title),
    record.description,
    `Action taken: ${action}`,
    '',
  ].join('\n');
}

/**
 * A one-line notice in the container's tmux session (`coi-<container>`), shown on the status line
 * of the attached terminal without touching the agent's screen. Fire-and-forget: a frozen or
 * deleted container cannot show it, and the host-side `followSessionAlerts` covers that case.
 */
export function tmuxNotice(
  incus: IncusApi,
  record: Pick<AuditRecord, 'container' | 'level' | 'title'>,
  uid: number,
  action: string,
): void {
  const text = `SECURITY ALERT [${record.level.toUpperCase()}] ${record.title} — ${action}`;
  void incus.exec
    .run(
      record.container,
      ['tmux', 'display-message', '-d', '15000', '-t', tmuxSessionName(record.container), text],
      { user: uid, group: uid },
    )
    // Frozen, deleted or without a tmux session: the audit log and the host-side follower have it.
    .catch(() => undefined);
}

/**
 * Prints each new alert of `container` (from its audit log) as a SECURITY ALERT block, for the
 * host side of an attached session; close it when the session ends.
 */
export function followSessionAlerts(
  auditDir: string,
  container: string,
  write: (text: string) => void,
  colour: boolean,
): AuditFollower {
  return followAudit(
    activeAuditFile(auditDir, container),
    {
      onRecord: (record) => {
        if (record.level !== 'info' && record.action !== 'deduplicated')
          write(formatAlertBlock(record, colour));
      },
      onError: () => undefined,
    },
    { fromStart: false },
  );
}
