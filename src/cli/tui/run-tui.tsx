import { render } from 'ink';
import { join } from 'node:path';
import { AlertsFeed } from '../../core/control-room/alerts-feed.js';
import { RoomActions } from '../../core/control-room/actions.js';
import { InstanceFeed } from '../../core/control-room/feed.js';
import { App, createTuiStore, TerminalController } from '../../ui/index.js';
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
  const instances = new InstanceFeed(ctx.incus, sink, { prefix: ctx.prefix });
  const alerts = new AlertsFeed(sink, {
    dir: join(ctx.coiDir, 'audit'),
    prefix: ctx.prefix,
    acknowledged: () => room.acknowledged(),
    onProblem: (text) => store.getState().setStatus({ tone: 'error', text }),
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

  let ink: ReturnType<typeof render> | undefined;
  const guard = new ScreenGuard({
    stdin,
    stdout,
    teardown: () => {
      terminal.dispose();
      alerts.stop();
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
        actions={tuiActions(room, terminal, ctx)}
        passthrough={terminal.passthrough}
        terminal={terminal}
      />,
      { exitOnCtrlC: false, patchConsole: false, maxFps: 60 },
    );
    void instances.start();
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
