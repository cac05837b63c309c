import { release } from 'node:os';
import { readOsRelease } from '../host/platform.js';
import { lowSysctls, SYSCTL_FILE } from '../host/sysctl.js';
import { ok, warn, type HealthCheck } from './types.js';
import { olderThan } from './version.js';

const MIN_KERNEL: [number, number] = [5, 15];

/** `6.1.0-18-amd64` → [6, 1]; undefined when unreadable. */
export function kernelVersion(text: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export const systemChecks: HealthCheck[] = [
  {
    key: 'os',
    name: 'Operating system',
    category: 'system',
    run: () => {
      const os = readOsRelease();
      return ok(`${os.prettyName} (${process.arch})`, { id: os.id, version: os.versionId });
    },
  },
  {
    key: 'kernel_version',
    name: 'Kernel',
    category: 'system',
    run: () => {
      const text = release();
      const v = kernelVersion(text);
      if (!v) return warn(`${text}: version not recognised`);
      return olderThan(v, MIN_KERNEL)
        ? warn(
            `${text}: older than ${MIN_KERNEL.join('.')}; idmapped mounts and nesting may not work`,
          )
        : ok(text);
    },
    manualFix: () => 'upgrade the kernel to 5.15 or later',
  },
  {
    key: 'kernel_limits',
    name: 'Kernel limits',
    category: 'system',
    run: () => {
      const low = lowSysctls();
      if (low.length === 0) return ok("Incus's recommended limits for many containers in place");
      return warn(
        `${low.map((s) => `${s.key} = ${s.current} (Incus recommends ${s.value})`).join(', ')}: ` +
          'with many containers systemd fails to boot ("Too many open files"); ' +
          `\`coi health --fix\` or \`coi setup\` raises them and keeps them in ${SYSCTL_FILE}`,
        { low },
      );
    },
  },
];
