import { describe, expect, it } from 'vitest';
import { monitorVerdict } from '../../../../src/core/health/monitoring-checks.js';

const status = (containers: string[]) => ({
  pid: 4242,
  containers,
  scans: 3,
  scanBusyMs: 1,
  kmsgLines: 0,
  alerts: 2,
  folded: 0,
});

describe('monitor daemon verdict', () => {
  it('is fine without a daemon while nothing runs, and when monitoring is off', () => {
    expect(monitorVerdict({ enabled: true, status: undefined, monitored: [] })).toMatchObject({
      status: 'ok',
      message: 'not running; it starts with the first monitored session',
    });
    expect(monitorVerdict({ enabled: false, status: undefined, monitored: [] }).status).toBe('ok');
  });

  it('fails when monitored containers run with no daemon, and names them', () => {
    const r = monitorVerdict({ enabled: true, status: undefined, monitored: ['coi-a-1'] });
    expect(r.status).toBe('failed');
    expect(r.message).toBe('not running: 1 container(s) run unwatched (coi-a-1)');
    // Monitoring turned off since: the running container still asked for it at launch.
    expect(
      monitorVerdict({ enabled: false, status: undefined, monitored: ['coi-a-1'] }).status,
    ).toBe('failed');
  });

  it('reports the daemon, and warns about containers it does not watch', () => {
    expect(
      monitorVerdict({ enabled: true, status: status(['coi-a-1']), monitored: ['coi-a-1'] }),
    ).toMatchObject({
      status: 'ok',
      message: 'pid 4242, watching 1 container(s), 2 alert(s) so far',
    });
    expect(
      monitorVerdict({ enabled: true, status: status([]), monitored: ['coi-a-1'] }).message,
    ).toBe('pid 4242 does not watch coi-a-1 (yet)');
  });
});

describe('monitor daemon verdict: how it finds process starts', () => {
  const withEvents = (state: 'events' | 'off' | 'failed', detail: string) => ({
    ...status(['coi-a-1']),
    processEvents: { state, detail, execs: 0, lost: 0 },
  });

  it('warns when the exec events were wanted but the poll alone finds processes', () => {
    const r = monitorVerdict({
      enabled: true,
      status: withEvents('failed', 'cannot run perl: ENOENT'),
      monitored: ['coi-a-1'],
    });
    expect(r.status).toBe('warning');
    expect(r.message).toBe(
      'pid 4242, watching 1 container(s), 2 alert(s) so far; process starts by /proc poll only ' +
        '(no kernel events: cannot run perl: ENOENT); a process shorter than the 100 ms poll may be missed',
    );
  });

  it('is fine with the events, or with the poll the config asked for, and says which', () => {
    const on = monitorVerdict({
      enabled: true,
      status: withEvents('events', 'kernel-filtered exec events'),
      monitored: ['coi-a-1'],
    });
    expect(on).toMatchObject({
      status: 'ok',
      details: { process_starts: 'process starts by kernel event (kernel-filtered exec events)' },
    });
    const off = withEvents('off', '[monitoring] process_events = false');
    expect(monitorVerdict({ enabled: true, status: off, monitored: [] }).status).toBe('ok');
  });
});
