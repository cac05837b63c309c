import { render } from 'ink';
import { join } from 'node:path';
import { HookFileReader } from '../../core/control-room/agent-state/hook-file.js';
import { AgentStateSource, type WatchedSlot } from '../../core/control-room/agent-state/source.js';
import { AlertsFeed } from '../../core/control-room/alerts-feed.js';
import { RoomActions } from '../../core/control-room/actions.js';
import { InstanceFeed } from '../../core/control-room/feed.js';
import { SlotViewActions } from '../../core/control-room/slot-view-actions.js';
import { DEFAULT_CODE_USER } from '../../shared/instance-keys.js';
import {
  App,
  createTuiStore,
  HotRegionWriter,
  TerminalController,
  type SlotInstance,
} from '../../ui/index.js';
import type { CliContext } from '../context.js';
import { attachCommandFactory } from './attach-command.js';
import { storeSink } from './room-sink.js';
import { ScreenGuard } from './screen-guard.js';
import { tuiActions } from './tui-actions.js';

/** Runs the control room until the user quits; the terminal is restored on every way out. */
export async function runTui(ctx: CliContext): Promise<void> {
  const { stdin, stdout } = process;
  const store = createTuiStore({ workspaces: [ctx.workspace] });
  const sink = storeSink(store);
  const room = new RoomActions({ incus: ctx.incus, coiDir: ctx.coiDir, prefix: ctx.prefix });
  const views = new SlotViewActions({ incus: ctx.incus, coiDir: ctx.coiDir, prefix: ctx.prefix });
  const instances = new InstanceFeed(ctx.incus, sink, { prefix: ctx.prefix });
  const alerts = new AlertsFeed(sink, {
    dir: join(ctx.coiDir, 'audit'),
    prefix: ctx.prefix,
    acknowledged: () => room.acknowledged(),
    onProblem: (text) => store.getState().setStatus({ tone: 'error', text }),
  });
  const agents = new AgentStateSource(sink, {
    reader: HookFileReader.throughProc(ctx.incus.files),
    slots: () => runningSlots(store.getState().instances),
  });
  const terminal = new TerminalController({
    store,
    command: attachCommandFactory({
      incus: ctx.incus,
      prefix: ctx.prefix,
      project: ctx.loaded.config.incus.project,
    }),
    writeTerminal: (bytes) => stdout.write(bytes),
  });

  // The tables are drawn by the hot-region writer, the rest by Ink (README: design notes).
  const hotRegion = new HotRegionWriter(stdout);
  let ink: ReturnType<typeof render> | undefined;
  const guard = new ScreenGuard({
    stdin,
    stdout,
    teardown: () => {
      terminal.dispose();
      alerts.stop();
      agents.stop();
      void instances.stop();
      ink?.unmount();
    },
  });
  guard.enter();
  try {
    // Not incrementalRendering: in Ink 6.8 it left stale rows when a row above went away.
    // 60 frames/s: at 30 a keystroke's echo could wait 33 ms for Ink's next frame while the
    // pane floods (the pane's own frames are coalesced in its worker, one in flight).
    ink = render(
      <App
        store={store}
        actions={tuiActions(room, views, terminal, ctx)}
        passthrough={terminal.passthrough}
        terminal={terminal}
        hotRegion={hotRegion}
      />,
      { stdout: hotRegion.stream, exitOnCtrlC: false, patchConsole: false, maxFps: 60 },
    );
    void instances.start();
    agents.start();
    void alerts
      .start()
      .catch((err: Error) =>
        store.getState().setStatus({ tone: 'error', text: `Alert feed: ${err.message}` }),
      );
    await ink.waitUntilExit();
  } finally {
    guard.restore();
  }
}

function runningSlots(instances: Record<string, SlotInstance>): WatchedSlot[] {
  return Object.values(instances)
    .filter((i) => i.state === 'running')
    .map((i) => ({ name: i.name, codeUser: i.codeUser ?? DEFAULT_CODE_USER }));
}
