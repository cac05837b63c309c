import { remoteStatuses, type RemoteStatus } from '../../core/remotes/remote-status.js';
import { outputFormat, printJson } from '../output.js';
import { formatTable } from '../table.js';
import type { RemoteListFlags } from './remote.js';

function statusText({ reach }: RemoteStatus): string {
  if (!reach) return 'image server (not probed)';
  if (!reach.reachable) return `unreachable: ${reach.reason}`;
  const version = reach.serverVersion ? ` (Incus ${reach.serverVersion})` : '';
  return reach.auth === 'trusted'
    ? `reachable${version}`
    : `reachable${version}, but this client's certificate is not trusted there`;
}

function jsonOf(s: RemoteStatus): Record<string, unknown> {
  const reach = s.reach;
  return {
    name: s.name,
    url: s.url,
    protocol: s.protocol,
    default: s.isDefault,
    reachable: reach ? reach.reachable : null,
    auth: reach?.reachable ? reach.auth : null,
    server_version: reach?.reachable ? (reach.serverVersion ?? null) : null,
    error: reach && !reach.reachable ? reach.reason : null,
  };
}

export async function remoteListAction(flags: RemoteListFlags): Promise<void> {
  const format = outputFormat(flags);
  const statuses = await remoteStatuses();
  if (format === 'json') return printJson(statuses.map(jsonOf));
  const rows = statuses.map((s) => [
    s.isDefault ? `${s.name} (default)` : s.name,
    s.url,
    s.protocol,
    statusText(s),
  ]);
  process.stdout.write(`${formatTable(['NAME', 'URL', 'PROTOCOL', 'STATUS'], rows)}\n`);
}
