/** Small IPv4 helpers: address checks and CIDR arithmetic. */

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/** `a.b.c.d` or `a.b.c.d/len`. */
export function isIpv4Cidr(text: string): boolean {
  const [addr = '', len, extra] = text.split('/');
  if (extra !== undefined || !isIpv4(addr)) return false;
  return len === undefined || (/^\d{1,2}$/.test(len) && Number(len) <= 32);
}

export function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Whether `ip` lies inside `cidr` (`a.b.c.d/len`; a bare address is a /32). */
export function inCidr(ip: string, cidr: string): boolean {
  const [net = '', lenText = '32'] = cidr.split('/');
  const len = Number(lenText);
  if (len === 0) return true;
  const size = 2 ** (32 - len);
  return Math.floor(ipv4ToNumber(ip) / size) === Math.floor(ipv4ToNumber(net) / size);
}

const LOOPBACK_V4 = '127.0.0.0/8';
/** Cloud metadata services: AWS/GCP/Azure/OpenStack and Alibaba (inside 100.64/10). */
export const METADATA_V4 = ['169.254.169.254', '100.100.100.200'] as const;
/** Ranges restricted mode keeps containers away from: RFC 1918, link-local, carrier-grade NAT. */
export const PRIVATE_V4 = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '100.64.0.0/10',
] as const;

/** 127/8, and 0.0.0.0, which a connect() also sends to the local host. */
export function isLoopbackV4(ip: string): boolean {
  return inCidr(ip, LOOPBACK_V4) || ip === '0.0.0.0';
}
