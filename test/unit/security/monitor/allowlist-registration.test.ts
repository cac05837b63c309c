import { describe, expect, it } from 'vitest';
import {
  AllowlistRegistration,
  type AllowlistResolver,
} from '../../../../src/security/monitor/allowlist-registration.js';
import type { AllowlistDomain } from '../../../../src/security/nft/policy.js';

/** The resolver's table of allowlist addresses, as `add` and `remove` leave it. */
function fakeResolver(): AllowlistResolver & { table: Map<string, string> } {
  const table = new Map<string, string>();
  return {
    table,
    add: (ip, container) => void table.set(ip, container),
    remove: (ip) => void table.delete(ip),
    unlearn: () => Promise.resolve(),
  };
}

const DOMAINS: AllowlistDomain[] = [{ name: 'github.com', ports: [443] }];

describe('AllowlistRegistration', () => {
  it('registers a container and takes its address out again', () => {
    const resolver = fakeResolver();
    const registration = new AllowlistRegistration(resolver);
    registration.register('coi-a-1', '10.99.0.5', DOMAINS);
    registration.register('coi-b-1', '10.99.0.6', DOMAINS);
    expect([...resolver.table]).toEqual([
      ['10.99.0.5', 'coi-a-1'],
      ['10.99.0.6', 'coi-b-1'],
    ]);
    registration.unregister('coi-a-1');
    expect([...resolver.table]).toEqual([['10.99.0.6', 'coi-b-1']]);
  });

  it('leaves the resolver alone for a container it never registered, or twice', () => {
    const resolver = fakeResolver();
    const registration = new AllowlistRegistration(resolver);
    registration.register('coi-a-1', '10.99.0.5', DOMAINS);
    registration.unregister('coi-b-1');
    registration.unregister('coi-a-1');
    resolver.table.set('10.99.0.5', 'coi-c-1');
    registration.unregister('coi-a-1');
    expect([...resolver.table]).toEqual([['10.99.0.5', 'coi-c-1']]);
  });

  it("keeps the registration of a container that took a gone container's address over", () => {
    const resolver = fakeResolver();
    const registration = new AllowlistRegistration(resolver);
    registration.register('coi-a-1', '10.99.0.5', DOMAINS);
    // a is deleted and Incus hands 10.99.0.5 to b before a's departure is seen.
    registration.register('coi-b-1', '10.99.0.5', DOMAINS);
    registration.unregister('coi-a-1');
    expect([...resolver.table]).toEqual([['10.99.0.5', 'coi-b-1']]);
    registration.unregister('coi-b-1');
    expect([...resolver.table]).toEqual([]);
  });

  it('moves a container that comes back with another address', () => {
    const resolver = fakeResolver();
    const registration = new AllowlistRegistration(resolver);
    registration.register('coi-a-1', '10.99.0.5', DOMAINS);
    registration.register('coi-a-1', '10.99.0.9', DOMAINS);
    expect([...resolver.table]).toEqual([['10.99.0.9', 'coi-a-1']]);
  });

  it('does nothing without a resolver', () => {
    const registration = new AllowlistRegistration(undefined);
    expect(() => {
      registration.register('coi-a-1', '10.99.0.5', DOMAINS);
      registration.unregister('coi-a-1');
    }).not.toThrow();
  });
});
