import { describe, expect, it } from 'vitest';
import { PortPool } from '../../../../src/security/proxy/port-pool.js';

describe('proxy port leases', () => {
  it('keeps a destination on its port while renewed, and gives each its own', () => {
    const pool = new PortPool(40000, 2);
    expect(pool.lease('1.2.3.4:443', 100, 0)).toEqual({ port: 40000, fresh: true });
    expect(pool.lease('1.2.3.4:80', 100, 0)).toEqual({ port: 40001, fresh: true });
    expect(pool.lease('1.2.3.4:443', 200, 50)).toEqual({ port: 40000, fresh: false });
    expect(pool.keyOf(40001)).toBe('1.2.3.4:80');
  });

  it('when full, reuses only an expired lease, the oldest first', () => {
    const pool = new PortPool(40000, 2);
    pool.lease('a:443', 100, 0);
    pool.lease('b:443', 50, 0);
    expect(pool.lease('c:443', 300, 10)).toBeUndefined();
    expect(pool.lease('c:443', 300, 60)).toEqual({ port: 40001, fresh: true });
    expect(pool.keyOf(40001)).toBe('c:443');
    expect(pool.expired(150)).toEqual(['a:443']);
  });

  it('never gives again a port another program holds', () => {
    const pool = new PortPool(40000, 2);
    pool.lease('a:443', 100, 0);
    expect(pool.release('a:443', true)).toBe(40000);
    expect(pool.lease('b:443', 100, 0)).toEqual({ port: 40001, fresh: true });
    expect(pool.lease('c:443', 100, 0)).toBeUndefined();
  });

  it('refuses a range that is not one', () => {
    expect(() => new PortPool(65000, 1000)).toThrow(/runs past port 65535/);
  });
});
