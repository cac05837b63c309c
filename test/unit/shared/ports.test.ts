import { describe, expect, it } from 'vitest';
import {
  parsePortList,
  portCount,
  portSpans,
  portText,
  subtractSpans,
} from '../../../src/shared/ports.js';

describe('port lists', () => {
  it('parse single ports, ranges and mixed lists', () => {
    expect(parsePortList('443')).toEqual([443]);
    expect(parsePortList('8000-8100')).toEqual([[8000, 8100]]);
    expect(parsePortList('80, 8000-8100')).toEqual([80, [8000, 8100]]);
    expect(parsePortList('1,65535')).toEqual([1, 65535]);
  });

  it('refuse reversed or empty ranges, ports outside 1-65535 and words, naming the item', () => {
    expect(() => parsePortList('8100-8000')).toThrow(
      '"8100-8000": a range runs from the lower port to the higher one (8000-8100)',
    );
    expect(() => parsePortList('80-80')).toThrow(/"80-80": a range runs from the lower/);
    expect(() => parsePortList('80,0')).toThrow('"0": ports are 1-65535');
    expect(() => parsePortList('1-65536')).toThrow('"1-65536": ports are 1-65535');
    expect(() => parsePortList('http')).toThrow('"http" is not a port (1-65535) or a range');
    expect(() => parsePortList('80,')).toThrow('"" is not a port');
  });

  it('merge into sorted disjoint spans, subtract spans and count ports', () => {
    expect(portSpans([8443, [8000, 8100], 80, 8101, [8050, 8060]])).toEqual([
      [80, 80],
      [8000, 8101],
      [8443, 8443],
    ]);
    expect(
      subtractSpans(
        [
          [1, 100],
          [200, 300],
        ],
        [
          [50, 60],
          [250, 400],
        ],
      ),
    ).toEqual([
      [1, 49],
      [61, 100],
      [200, 249],
    ]);
    expect(portCount([80, [8000, 8100], [8050, 8200]])).toBe(202);
    expect([portText(443), portText([8000, 8100])]).toEqual(['443', '8000-8100']);
  });
});
