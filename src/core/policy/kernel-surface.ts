import type { ConfigMap } from '../../incus/instance-types.js';
import type { Config } from '../config/index.js';

/** The syscall families behind most recent kernel escapes: io_uring, bpf, userfaultfd, keyring. */
export const REDUCED_SYSCALLS = [
  'io_uring_setup',
  'io_uring_enter',
  'io_uring_register',
  'bpf',
  'userfaultfd',
  'keyctl',
  'add_key',
  'request_key',
] as const;

/** What `reduce_kernel_surface_strict` denies besides: kernel profiling. */
export const STRICT_SYSCALLS = ['perf_event_open'] as const;

/** `[security] reduce_kernel_surface`, which the strict tier implies. */
export function reducesKernelSurface(config: Config): boolean {
  return config.security.reduce_kernel_surface || config.security.reduce_kernel_surface_strict;
}

/** Docker inside the container: `[container] docker`, unless the kernel surface is reduced. */
export function dockerEnabled(config: Config): boolean {
  return config.container.docker && !reducesKernelSurface(config);
}

export function deniedSyscalls(config: Config): string[] {
  if (!reducesKernelSurface(config)) return [];
  return [
    ...REDUCED_SYSCALLS,
    ...(config.security.reduce_kernel_surface_strict ? STRICT_SYSCALLS : []),
  ];
}

/**
 * The container keys of the kernel surface. Docker's keys are set either way, so that an Incus
 * profile turning nesting on cannot undo `docker = false` (the container's own keys win).
 */
export function kernelSurfaceKeys(config: Config): ConfigMap {
  const docker = String(dockerEnabled(config));
  const keys: ConfigMap = {
    'security.nesting': docker,
    'security.syscalls.intercept.mknod': docker,
    'security.syscalls.intercept.setxattr': docker,
  };
  const denied = deniedSyscalls(config);
  // A bare name would take the policy's default action, which kills the container's init.
  if (denied.length > 0)
    keys['security.syscalls.deny'] = denied.map((name) => `${name} errno 1`).join('\n');
  return keys;
}
