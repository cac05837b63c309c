/** The cgroup files `coi top` reads, as text: cgroup v2 and their cgroup v1 counterparts. */

/** Above this a v1 memory limit is the kernel's "unlimited" (PAGE_COUNTER_MAX pages). */
const V1_UNLIMITED = 2 ** 62;

/** cgroup v2 `cpu.stat`: `usage_usec 123456` among other lines; seconds. */
export function parseCpuStat(text: string): number | undefined {
  const usec = /^usage_usec\s+(\d+)$/m.exec(text)?.[1];
  return usec === undefined ? undefined : Number(usec) / 1e6;
}

/** cgroup v1 `cpuacct.usage`: nanoseconds; seconds. */
export function parseCpuacctUsage(text: string): number | undefined {
  const ns = parseCount(text);
  return ns === undefined ? undefined : ns / 1e9;
}

/** A file holding one count: `memory.current`, `memory.usage_in_bytes`, `cpuacct.usage`. */
export function parseCount(text: string | undefined): number | undefined {
  const value = text?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** `memory.max` (`max` when unlimited) or `memory.limit_in_bytes` (a huge number then). */
export function parseMemoryLimit(text: string | undefined): number | undefined {
  const bytes = parseCount(text);
  return bytes === undefined || bytes === 0 || bytes >= V1_UNLIMITED ? undefined : bytes;
}
