import { describe, expect, it } from 'vitest';
import { kernelSurfaceKeys } from '../../../../src/core/policy/kernel-surface.js';
import { config } from '../session/config.js';

const BASE_DENY = [
  'io_uring_setup errno 1',
  'io_uring_enter errno 1',
  'io_uring_register errno 1',
  'bpf errno 1',
  'userfaultfd errno 1',
  'keyctl errno 1',
  'add_key errno 1',
  'request_key errno 1',
].join('\n');

describe('kernel surface keys', () => {
  it('supports Docker by default: nesting and the mknod/setxattr intercepts, nothing denied', () => {
    expect(kernelSurfaceKeys(config())).toEqual({
      'security.nesting': 'true',
      'security.syscalls.intercept.mknod': 'true',
      'security.syscalls.intercept.setxattr': 'true',
    });
  });

  it('docker = false turns them off explicitly, so an Incus profile cannot turn nesting on', () => {
    expect(kernelSurfaceKeys(config({ container: { docker: false } }))).toEqual({
      'security.nesting': 'false',
      'security.syscalls.intercept.mknod': 'false',
      'security.syscalls.intercept.setxattr': 'false',
    });
  });

  it('reduce_kernel_surface denies the escape syscalls with EPERM and wins over docker = true', () => {
    const keys = kernelSurfaceKeys(
      config({ container: { docker: true }, security: { reduce_kernel_surface: true } }),
    );
    expect(keys).toEqual({
      'security.nesting': 'false',
      'security.syscalls.intercept.mknod': 'false',
      'security.syscalls.intercept.setxattr': 'false',
      'security.syscalls.deny': BASE_DENY,
    });
  });

  it('the strict tier implies the base one and adds perf_event_open', () => {
    const keys = kernelSurfaceKeys(config({ security: { reduce_kernel_surface_strict: true } }));
    expect(keys['security.nesting']).toBe('false');
    expect(keys['security.syscalls.deny']).toBe(`${BASE_DENY}\nperf_event_open errno 1`);
  });
});
