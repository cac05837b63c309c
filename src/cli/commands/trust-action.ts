import { homedir } from 'node:os';
import { approveWorkspace, listApprovals, revokeWorkspace } from '../../core/config/approvals.js';
import { workspacePath } from '../context.js';
import { outputFormat, printJson } from '../output.js';
import type { TrustFlags } from './trust.js';

const say = (line: string): void => void process.stderr.write(`${line}\n`);
const short = (fingerprint: string) => fingerprint.slice(0, 12);

/** `coi trust`: approve the workspace's gated files; `--list`: every approval. */
export function trustAction(flags: TrustFlags): void {
  const format = outputFormat(flags);
  const home = homedir();
  if (flags.list) {
    const approvals = listApprovals(home);
    if (format === 'json') return printJson(approvals);
    if (approvals.length === 0) return say('No approved workspace files.');
    for (const a of approvals) process.stdout.write(`${short(a.fingerprint)}  ${a.path}\n`);
    return;
  }
  const ctx = { home, workspace: workspacePath(flags.workspace) };
  const approved = approveWorkspace(ctx);
  if (format === 'json')
    return printJson(
      approved.map((f) => ({
        path: f.path,
        fingerprint: f.fingerprint,
        keys: f.entries.map((e) => e.key),
      })),
    );
  if (approved.length === 0)
    return say(
      `Nothing to approve: no file in ${ctx.workspace}/.coi asks for host paths outside the workspace, sockets or credentials.`,
    );
  for (const f of approved) {
    process.stdout.write(
      `Approved ${f.label} (${short(f.fingerprint)}): ${f.entries.map((e) => e.shown).join(', ')}\n`,
    );
  }
  say('Any change to these files needs `coi trust` again; `coi untrust` revokes the approval.');
}

/** `coi untrust`: revoke every approval of the workspace's .coi/ files. */
export function untrustAction(flags: { workspace?: string }): void {
  const workspace = workspacePath(flags.workspace);
  const revoked = revokeWorkspace({ home: homedir(), workspace });
  if (revoked.length === 0) return say(`No approvals for ${workspace}.`);
  for (const path of revoked) process.stdout.write(`Revoked the approval of ${path}\n`);
}
