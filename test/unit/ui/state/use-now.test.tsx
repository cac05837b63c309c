import { Text } from 'ink';
import { afterEach, describe, expect, test } from 'vitest';
import { useNow } from '../../../../src/ui/state/use-now.js';
import { cleanup, renderSized } from '../harness.js';

afterEach(cleanup);

function Clock({ renders, nextChange }: { renders: number[]; nextChange?: (n: number) => number }) {
  const now = useNow(Date.now, nextChange);
  renders.push(now);
  return <Text>{now}</Text>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('useNow', () => {
  test('ticks when the shown text changes', async () => {
    const renders: number[] = [];
    renderSized(<Clock renders={renders} nextChange={(now) => now + 50} />, 40, 5);
    await sleep(400);
    expect(renders.length).toBeGreaterThanOrEqual(3);
  });

  test('does not tick (nor re-render the room) when nothing shown changes with time', async () => {
    const renders: number[] = [];
    renderSized(<Clock renders={renders} nextChange={() => Infinity} />, 40, 5);
    // Past the once-a-second tick a clock without nextChange has.
    await sleep(1300);
    expect(renders).toHaveLength(1);
  });
});
