import { stat } from 'node:fs/promises';
import type { IncusApi } from '../../../incus/index.js';
import type { Instance } from '../../../incus/instance-types.js';
import type { Profile } from '../../../incus/profiles.js';
import { newSessionId, sessionIdentity } from '../../../shared/naming.js';
import { baseImageAlias } from '../../image/recipe.js';
import { toolAdapter } from '../../tools/registry.js';
import type { ToolAdapter } from '../../tools/types.js';
import type { LaunchRequest } from '../launch.js';
import { SavedSessions, type SavedSession } from '../saved-sessions.js';

/** The image to create from, or the one that is missing. */
export interface ImageChoice {
  image?: string;
  /** Said to the user when the base image stands in for an unbuilt coi-default. */
  note?: string;
  missing?: string;
}

/** Everything a launch needs to know about the host and Incus before it decides anything. */
export interface LaunchFacts {
  tool: { adapter: ToolAdapter; binary: string };
  /** The workspace's owner on the host; undefined when the workspace is not a directory. */
  owner: { uid: number; gid: number } | undefined;
  instances: Instance[];
  /** The kernel can idmap mounts. */
  idmappedMounts: boolean;
  /** coi runs as host root (it can make mounts). */
  hostRoot: boolean;
  /** The default Incus profile: where containers go, and config it forces on them. */
  profile: Pick<Profile, 'config' | 'devices'>;
  image: ImageChoice;
  /** The tool's saved sessions of this workspace, newest first (read for --resume only). */
  savedSessions: SavedSession[];
  /** The id of a new session, drawn here so that the plan stays pure. */
  newSessionId: string;
}

export type FactsRequest = Pick<
  LaunchRequest,
  'incus' | 'loaded' | 'workspace' | 'image' | 'resume' | 'coiDir'
>;

/** Asks for everything at once. */
export async function gatherFacts(req: FactsRequest): Promise<LaunchFacts> {
  const { incus, workspace } = req;
  const { config } = req.loaded;
  const tool = toolAdapter(config.tool.name, config.tool.binary);
  const [owner, instances, server, profile, image, savedSessions] = await Promise.all([
    // Missing or unreadable: the plan refuses it as not a directory.
    stat(workspace).catch(() => undefined),
    incus.instances.list(),
    incus.server.get(),
    incus.profiles.get('default'),
    imageChoice(incus, req.image ?? config.container.image, req.image !== undefined),
    req.resume ? savedOf(req, tool.adapter.name) : [],
  ]);
  return {
    tool,
    owner: owner?.isDirectory() ? { uid: owner.uid, gid: owner.gid } : undefined,
    instances,
    idmappedMounts: server.environment?.kernel_features?.idmapped_mounts === 'true',
    hostRoot: process.geteuid?.() === 0,
    profile,
    image,
    savedSessions,
    newSessionId: newSessionId(),
  };
}

/** The saved sessions `--resume` picks from: this workspace's, or its session_name's. */
function savedOf(req: FactsRequest, tool: string): Promise<SavedSession[]> {
  const name = req.loaded.config.container.session_name;
  const saved = new SavedSessions(req.coiDir);
  return name
    ? saved.list({ tool, identity: sessionIdentity(req.workspace, name) })
    : saved.list({ tool, workspace: req.workspace });
}

/** The configured image, or the offline base image when the default one was never built. */
async function imageChoice(
  incus: IncusApi,
  image: string,
  explicit: boolean,
): Promise<ImageChoice> {
  const base = baseImageAlias();
  const fallback = !explicit && image === 'coi-default';
  const [found, baseFound] = await Promise.all([
    incus.images.exists(image),
    fallback ? incus.images.exists(base) : false,
  ]);
  if (found) return { image };
  if (baseFound) {
    return {
      image: base,
      note: `Image coi-default is not built yet (run \`coi build\`); using the base image ${base}`,
    };
  }
  return { missing: image };
}
