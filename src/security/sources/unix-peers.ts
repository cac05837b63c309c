import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** assets/ sits three levels above both src/security/sources/ (tsx) and dist/security/sources/. */
export const UNIX_PEERS_SCRIPT = fileURLToPath(
  new URL('../../../assets/unix-peers.pl', import.meta.url),
);
const TIMEOUT_MS = 2000;

/** `<inode> <peer inode>` lines → inode → its peer's inode. */
export function parseUnixPeers(text: string): Map<number, number> {
  const peers = new Map<number, number>();
  for (const line of text.split('\n')) {
    const [inode, peer] = line.trim().split(' ').map(Number);
    if (Number.isInteger(inode) && Number.isInteger(peer) && inode! > 0 && peer! > 0)
      peers.set(inode!, peer!);
  }
  return peers;
}

/**
 * The peer of every connected unix socket in the network namespace of `pid` (a socketpair's two
 * ends, a stream connection's), which /proc does not show: `assets/unix-peers.pl` asks the
 * kernel's sock_diag from inside that namespace. A process of its own (some 10–20 ms), so it is
 * run only for a shell whose input is a unix socket. Empty when it cannot be had (no perl, not
 * root): such a shell is then not linked to what feeds it.
 */
export function readUnixPeers(pid: number, perl = 'perl'): Map<number, number> {
  const run = spawnSync(perl, [UNIX_PEERS_SCRIPT, String(pid)], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return run.status === 0 ? parseUnixPeers(run.stdout) : new Map();
}
