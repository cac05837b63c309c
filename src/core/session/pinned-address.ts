import { shellQuote as quote } from '../../shared/shell-quote.js';

/** What the script says when eth0 still holds another address than its pin at the deadline. */
const NOT_THE_PIN = 'not its pinned';

/**
 * Shell lines (of the set-up script, after its `late` deadline test) that wait until eth0 holds
 * `pin`, the address pinned on the container's NIC: coi's network rules and Incus's ipv4
 * filtering admit only that one. Under load Incus's dnsmasq has answered a container's first DHCP
 * request before it read the pin, so eth0 held a dynamic address: then the lease is asked for
 * again, once — dhclient of ifupdown (the coi images), else systemd-networkd. A new dhclient starts
 * from 0.0.0.0, which the filtering lets through, and is told no to the old address. Exit 3 at the
 * deadline, naming what eth0 holds.
 */
export function pinnedAddressWait(pin: string): string[] {
  const q = quote(pin);
  return [
    `eth0_ipv4() { ip -4 -o addr show dev eth0 2>/dev/null | sed -n 's/.* inet \\([0-9.]*\\)\\/.*/\\1/p'; }`,
    'renew_lease() {',
    '  if command -v dhclient >/dev/null && [ -e /run/dhclient.eth0.pid ]; then',
    '    dhclient -4 -r -pf /run/dhclient.eth0.pid eth0 >/dev/null 2>&1 || true',
    '    dhclient -4 -nw -pf /run/dhclient.eth0.pid -lf /var/lib/dhcp/dhclient.eth0.leases eth0 >/dev/null 2>&1 || true',
    '  else',
    '    networkctl renew eth0 >/dev/null 2>&1 || true',
    '  fi',
    '}',
    'renewed=',
    `until held=$(eth0_ipv4); printf '%s\\n' $held | grep -qxF ${q}; do`,
    '  if late; then',
    `    [ -n "$held" ] || { echo "eth0 has no IPv4 address (its pin is "${q}")" >&2; exit 3; }`,
    `    echo "eth0 holds $(echo $held), ${NOT_THE_PIN} "${q}", also after renewing its DHCP lease" >&2; exit 3`,
    '  fi',
    // Without the set-up lock's fd 9: a dhclient left holding it would block every later set-up.
    '  if [ -n "$held" ] && [ -z "$renewed" ]; then renewed=1; renew_lease 9>&-; fi',
    '  sleep 0.05',
    'done',
  ];
}

/** What to do when the container never got its pinned address (see pinnedAddressWait). */
export function pinnedAddressHint(detail: string): string | undefined {
  if (!detail.includes(NOT_THE_PIN)) return undefined;
  return (
    "the bridge's DHCP server (Incus's dnsmasq) gave the container another address than the one " +
    "pinned on its NIC, and coi's network rules admit only the pin: start the session again; if it " +
    'keeps happening, look for another holder of the pinned address in `incus network list-leases <bridge>`'
  );
}
