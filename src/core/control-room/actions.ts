import { join } from 'node:path';
import type { Incus } from '../../incus/index.js';
import { loadConfig } from '../config/index.js';
import { endSession } from '../session/end.js';
import { launchSession } from '../session/launch.js';
import { AckStore } from './acks.js';
import { coiKeysConfig, readCoiKeys } from '../../shared/instance-keys.js';

export interface RoomActionsOptions {
  incus: Incus;
  coiDir: string;
  prefix: string;
  hostEnv?: NodeJS.ProcessEnv;
}

/** `snap-YYYYMMDD-HHMMSS`, the Go coi's automatic snapshot name. */
export function snapshotName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `snap-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

/**
 * The control room's keyboard actions, over core. Each resolves when done or rejects with a
 * message the status line shows as is.
 */
export class RoomActions {
  private readonly acks: AckStore;

  constructor(private readonly opts: RoomActionsOptions) {
    this.acks = new AckStore(join(opts.coiDir, 'tui', 'acks.json'));
  }

  async pause(name: string): Promise<void> {
    await (await this.opts.incus.instances.freeze(name)).wait();
  }

  async resume(name: string): Promise<void> {
    await (await this.opts.incus.instances.unfreeze(name)).wait();
    await this.opts.incus.instances
      .patch(name, { config: coiKeysConfig({ frozenBy: '' }) })
      .catch(() => undefined);
  }

  async kill(name: string): Promise<void> {
    await endSession(this.opts.incus, name, {
      coiDir: this.opts.coiDir,
      save: false,
      keepPersistent: false,
    });
  }

  async shutdown(name: string): Promise<void> {
    const { value } = await this.opts.incus.instances.get(name);
    const workspace = readCoiKeys(value.config).workspace || process.cwd();
    const { config } = loadConfig({ cwd: workspace });
    await endSession(this.opts.incus, name, {
      coiDir: this.opts.coiDir,
      save: true,
      graceSeconds: config.container.shutdown_timeout,
      keepPersistent: true,
    });
  }

  async snapshot(name: string): Promise<string> {
    const snap = snapshotName();
    await (await this.opts.incus.snapshots.create(name, { name: snap })).wait();
    return snap;
  }

  /** Launches the workspace's configured tool in its lowest free slot, detached. */
  async newSlot(workspace: string): Promise<string> {
    const loaded = loadConfig({ cwd: workspace });
    const session = await launchSession({
      incus: this.opts.incus,
      loaded,
      workspace,
      cliEnv: {},
      hostEnv: this.opts.hostEnv ?? process.env,
      coiDir: this.opts.coiDir,
      prefix: this.opts.prefix,
      startTool: true,
    });
    return session.container;
  }

  ack(alertId: string): Promise<void> {
    return this.acks.ack(alertId);
  }

  acknowledged(): Promise<Set<string>> {
    return this.acks.load();
  }
}
