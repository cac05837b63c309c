import { join, posix } from 'node:path';
import type { IncusApi } from '../../incus/index.js';
import { loadConfig } from '../config/index.js';
import { DEFAULT_BUILD_ESTIMATE } from '../image/build-default.js';
import { DEFAULT_IMAGE_ALIAS } from '../image/default-recipe.js';
import { baseImageAlias, baseImageRecipe } from '../image/recipe.js';
import { toolAdapter } from '../tools/registry.js';
import { endSession } from '../session/end.js';
import { launchSession } from '../session/launch.js';
import { AckStore } from './acks.js';
import { readCoiKeys } from '../../shared/instance-keys.js';
import { resumeContainer, type ResumeIncus } from '../container/resume.js';
import { createSnapshot, type SnapshotCreateIncus } from '../snapshot/snapshots.js';

export interface SlotImage {
  image: string;
  missing: boolean;
  /** coi-default: the control room can build it. */
  buildable: boolean;
  /** How long building it takes. */
  estimate: string;
}

/** The base image carries `binary` (a name on PATH or a path) as one of its recipe's files. */
function baseImageHas(binary: string): boolean {
  return Object.values(baseImageRecipe.files).some(
    (file) => file.path === binary || posix.basename(file.path) === binary,
  );
}

function missingImageText(image: SlotImage): string {
  return image.buildable
    ? `${image.image} is not built, so a new slot would have no agent: build it first (\`coi build\`, ${image.estimate})`
    : `image ${image.image} does not exist: build it with \`coi build\` or set another [container] image`;
}

export interface RoomActionsOptions {
  incus: IncusApi;
  coiDir: string;
  prefix: string;
  hostEnv?: NodeJS.ProcessEnv;
}

/** What pause, resume and snapshot use of Incus. */
export type ContainerActionsIncus = {
  instances: Pick<IncusApi['instances'], 'freeze'>;
} & ResumeIncus &
  SnapshotCreateIncus;

/** The room's actions that need nothing but the container (and so run against a small fake). */
export class ContainerActions {
  constructor(private readonly incus: ContainerActionsIncus) {}

  async pause(name: string): Promise<void> {
    await (await this.incus.instances.freeze(name)).wait();
  }

  resume(name: string): Promise<void> {
    return resumeContainer(this.incus, name);
  }

  /** An auto-named snapshot; resolves to its name. */
  async snapshot(name: string): Promise<string> {
    return (await createSnapshot(this.incus, name)).name;
  }
}

/**
 * The control room's keyboard actions, over core. Each resolves when done or rejects with a
 * message the status line shows as is.
 */
export class RoomActions extends ContainerActions {
  private readonly acks: AckStore;

  constructor(private readonly opts: RoomActionsOptions) {
    super(opts.incus);
    this.acks = new AckStore(join(opts.coiDir, 'tui', 'acks.json'));
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

  /**
   * The image a new slot of the workspace starts from, and whether it is missing: a missing
   * coi-default would launch the base image, which has no agent (`claude: command not found`).
   */
  async slotImage(workspace: string): Promise<SlotImage> {
    const { config } = loadConfig({ cwd: workspace, defaultProfile: true });
    const { image } = config.container;
    const { images } = this.opts.incus;
    const binary = toolAdapter(config.tool.name, config.tool.binary).binary;
    // The base image stands in for a missing coi-default; it only has the test stand-in agent.
    const standIn =
      image === DEFAULT_IMAGE_ALIAS &&
      baseImageHas(binary) &&
      (await images.exists(baseImageAlias()));
    return {
      image,
      missing: !standIn && !(await images.exists(image)),
      buildable: image === DEFAULT_IMAGE_ALIAS,
      estimate: DEFAULT_BUILD_ESTIMATE,
    };
  }

  /**
   * Launches the workspace's configured tool in its lowest free slot, detached; never from a
   * stand-in image without the agent.
   */
  async newSlot(workspace: string): Promise<string> {
    const image = await this.slotImage(workspace);
    if (image.missing) throw new Error(missingImageText(image));
    const loaded = loadConfig({ cwd: workspace, defaultProfile: true });
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
