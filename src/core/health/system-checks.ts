import { release } from 'node:os';
import { readOsRelease } from '../host/platform.js';
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
];
