import { describe, expect, test } from 'vitest';
import { FrameGate } from '../../../../src/ui/terminal/frame-gate.js';

function gate(hasChange = () => true) {
  let sent = 0;
  const g = new FrameGate(() => {
    if (!hasChange()) return false;
    sent += 1;
    return true;
  });
  return { g, sent: () => sent };
}

describe('FrameGate', () => {
  test('changes while a frame is in flight are coalesced into one frame after it is drawn', () => {
    const { g, sent } = gate();
    g.changed();
    expect(sent()).toBe(1);
    for (let i = 0; i < 50; i++) g.changed();
    expect(sent()).toBe(1);
    g.drawn();
    expect(sent()).toBe(2);
    g.drawn();
    expect(sent()).toBe(2);
    g.changed();
    expect(sent()).toBe(3);
  });

  test('a frame with nothing in it is not sent and does not block the next one', () => {
    let change = false;
    const { g, sent } = gate(() => change);
    g.changed();
    expect(sent()).toBe(0);
    change = true;
    g.changed();
    expect(sent()).toBe(1);
  });

  test('flush sends the last frame even while one is in flight', () => {
    const { g, sent } = gate();
    g.changed();
    g.changed();
    g.flush();
    expect(sent()).toBe(2);
    g.drawn();
    expect(sent()).toBe(2);
  });
});
