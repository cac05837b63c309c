import { describe, expect, it } from 'vitest';
import { ProcessTreeAlerts } from '../../../../src/security/monitor/process-tree-alerts.js';

describe('command-line alerts along the process tree', () => {
  it('folds a child (and grandchild) raising the alert its parent raised', () => {
    const tree = new ProcessTreeAlerts();
    expect(tree.sameAsParent(100, 1, 'Environment scan')).toBe(false);
    expect(tree.sameAsParent(101, 100, 'Environment scan')).toBe(true);
    expect(tree.sameAsParent(102, 101, 'Environment scan')).toBe(true);
  });

  it('keeps a different alert of a child, and the same alert of an unrelated process', () => {
    const tree = new ProcessTreeAlerts();
    tree.sameAsParent(100, 1, 'Environment scan');
    expect(tree.sameAsParent(101, 100, 'Reverse shell')).toBe(false);
    expect(tree.sameAsParent(200, 1, 'Environment scan')).toBe(false);
  });
});
