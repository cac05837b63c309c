import { access, readFile, writeFile } from 'node:fs/promises';
import { run } from '../../shared/run.js';

/**
 * Containers on one bridge talk to each other without being routed, so coi's `inet` forward chain
 * only sees that traffic when the bridge hands IPv4 to netfilter (br_netfilter). Only the bridge's
 * own `nf_call_iptables` flag is set; the host-wide sysctl is left as it is.
 */
export async function ensureBridgeNetfilter(bridge: string): Promise<void> {
  if (!(await exists('/proc/sys/net/bridge'))) {
    await run('modprobe', ['br_netfilter']).catch((err: Error) => {
      throw new Error(
        `containers on ${bridge} could reach each other unfiltered: br_netfilter is not loaded and ` +
          `"modprobe br_netfilter" failed (${err.message.split('\n')[0]}); load it and start coi again`,
      );
    });
  }
  const flag = `/sys/class/net/${bridge}/bridge/nf_call_iptables`;
  // Unreadable counts as not set: the write below then fails with the explanation.
  if ((await readFile(flag, 'utf8').catch(() => '')).trim() === '1') return;
  await writeFile(flag, '1').catch((err: Error) => {
    throw new Error(
      `cannot make bridge ${bridge} pass container-to-container IPv4 through netfilter ` +
        `(writing 1 to ${flag}: ${err.message}); is ${bridge} a Linux bridge and coi running as root?`,
    );
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
