import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IncusConflictError } from '../../incus/errors.js';
import { FileTreeApi } from '../../incus/file-tree.js';
import type { Incus } from '../../incus/index.js';
import type { LoadedConfig } from '../config/index.js';
import { baseImageAlias } from '../image/recipe.js';
import {
  containerName,
  lowestFreeSlot,
  newSessionId,
  parseContainerName,
  workspaceHash,
} from '../naming.js';
import { toolAdapter } from '../tools/registry.js';
import type { ResumeRequest, ToolAdapter } from '../tools/types.js';
import { sandboxContext } from './context.js';
import { sessionEnvironment } from './environment.js';
import { HostLocks } from './host-locks.js';
import {
  effectiveCodeUid,
  prepareInside,
  readHomeFile,
  waitUntilReady,
  writeHomeFiles,
} from './inside.js';
import { buildLaunchSpec } from './launch-spec.js';
import {
  lockProtectedPaths,
  materialiseProtectedPaths,
  protectedPathList,
} from './protected-paths.js';
import { SavedSessions, type SavedSession } from './saved-sessions.js';
import { hostTimezone } from './timezone.js';
import { startTmuxSession } from './tmux.js';

export class LaunchError extends Error {
  readonly exitCode = 1;
}

export interface LaunchRequest {
  incus: Incus;
  loaded: LoadedConfig;
  /** Absolute workspace path (symlinks not resolved: it is the identity). */
  workspace: string;
  /** 1–10, or undefined for the lowest free slot. */
  slot?: number;
  image?: string;
  resume?: ResumeRequest;
  cliEnv: Record<string, string>;
  hostEnv: NodeJS.ProcessEnv;
  /** ~/.coi */
  coiDir: string;
  prefix: string;
  /** Start the tool in tmux (coi shell) or leave the container idle (coi run). */
  startTool: boolean;
  /** Forces an ephemeral container whatever the config says (coi run). */
  ephemeral?: boolean;
  onStep?: (message: string) => void;
}

export interface Session {
  container: string;
  slot: number;
  sessionId: string;
  workspace: string;
  persistent: boolean;
  tool: ToolAdapter;
  codeUid: number;
  home: string;
  env: Record<string, string>;
  /** True when an existing persistent container was started again. */
  reused: boolean;
}

/**
 * Creates and prepares a session's container: slot, image, devices, in-container set-up, saved
 * state, locks, then (for `coi shell`) the tool in tmux. Anything failing after the container
 * exists removes it again, so nothing is left half-configured.
 */
export async function launchSession(req: LaunchRequest): Promise<Session> {
  const { incus, loaded, workspace } = req;
  const { config } = loaded;
  const step = req.onStep ?? (() => undefined);
  const persistent = req.ephemeral ? false : config.container.persistent;
  const { adapter, binary } = toolAdapter(config.tool.name, config.tool.binary);
  const owner = await stat(workspace).catch(() => undefined);
  if (!owner?.isDirectory()) throw new LaunchError(`workspace ${workspace} is not a directory`);

  const saved = new SavedSessions(req.coiDir);
  const resumed = req.resume
    ? await findResume(saved, adapter.name, workspace, req.resume)
    : undefined;
  const sessionId = resumed?.session_id ?? newSessionId();
  const codeUser = config.incus.code_user;
  const home = `/home/${codeUser}`;
  const codeUid = effectiveCodeUid({ hostUid: owner.uid, codeUid: config.incus.code_uid });
  const timezone =
    config.timezone.mode === 'host'
      ? hostTimezone()
      : config.timezone.mode === 'utc'
        ? 'Etc/UTC'
        : config.timezone.name;

  const existing = await incus.instances.list();
  const reusable = persistent ? findReusable(existing, workspace, req.prefix, req.slot) : undefined;
  const protectedPaths = protectedPathList(config);
  await materialiseProtectedPaths(workspace, protectedPaths, owner.uid, owner.gid);

  let container: string;
  let slot: number;
  if (reusable) {
    ({ name: container, slot } = reusable);
    step(`Starting persistent container ${container}`);
    await (await incus.instances.start(container)).wait();
  } else {
    const server = await incus.server.get();
    const profile = await incus.profiles.get('default');
    const pool =
      config.container.storage_pool || profileDevice(profile.devices, 'disk')?.pool || 'default';
    const bridge = profileDevice(profile.devices, 'nic')?.network ?? 'incusbr0';
    const image = await chooseImage(
      incus,
      req.image ?? config.container.image,
      req.image !== undefined,
      step,
    );
    const sshAgentSocket = config.ssh.forward_agent ? req.hostEnv.SSH_AUTH_SOCK : undefined;
    ({ container, slot } = await createInFreeSlot(
      req,
      existing.map((i) => i.name),
      (name, slotNo) =>
        buildLaunchSpec({
          name,
          image,
          workspace,
          slot: slotNo,
          sessionId,
          tool: adapter.name,
          persistent,
          config,
          pool,
          bridge,
          idmappedMounts: server.environment?.kernel_features?.idmapped_mounts === 'true',
          hostUid: owner.uid,
          protectedPaths,
          ...(sshAgentSocket ? { sshAgentSocket } : {}),
        }),
    ));
  }

  const locks = new HostLocks(join(req.coiDir, 'locks'));
  try {
    const full = await incus.instances.getFull(container);
    if (full.expanded_config['security.privileged'] === 'true') {
      throw new LaunchError(
        `${container} would run privileged (security.privileged=true from its profiles); coi refuses privileged containers: remove the key from the Incus profile`,
      );
    }
    step('Waiting for the container to boot');
    await waitUntilReady(incus, container, config.container.ready_timeout);
    if (!reusable) {
      await prepareInside(incus, container, {
        codeUser,
        codeUid: config.incus.code_uid,
        hostUid: owner.uid,
        ...(timezone ? { timezone } : {}),
        ...(config.limits.runtime.max_duration
          ? { maxDuration: config.limits.runtime.max_duration }
          : {}),
      });
    }
    const tree = new FileTreeApi(incus.client);
    if (resumed && adapter.stateDir) {
      step(`Restoring saved session ${resumed.session_id}`);
      await saved.restore(tree, resumed, container, `${home}/${adapter.stateDir}`, codeUid);
    }
    const context = config.tool.auto_context
      ? sandboxContext({
          config,
          workspace,
          slot,
          container,
          persistent,
          profileContext: await profileContext(loaded),
        })
      : undefined;
    const homeOpts = { context, permissionMode: config.tool.permission_mode };
    const current = new Map<string, string | undefined>();
    for (const { path } of adapter.homeFiles(homeOpts, () => undefined)) {
      current.set(path, await readHomeFile(incus, container, home, path));
    }
    await writeHomeFiles(incus, container, home, codeUid, [
      ...(context ? [{ path: 'SANDBOX_CONTEXT.md', content: context }] : []),
      ...adapter.homeFiles(homeOpts, (path) => current.get(path)),
    ]);
    if (config.security.host_immutable) {
      await locks.record(container, await lockProtectedPaths(workspace, protectedPaths));
    }
    const env = await sessionEnvironment({
      config,
      hostEnv: req.hostEnv,
      codeUser,
      cliEnv: req.cliEnv,
      sshAgent: !!(config.ssh.forward_agent && req.hostEnv.SSH_AUTH_SOCK),
      timezone,
    });
    if (req.startTool) {
      step(`Starting ${adapter.name} in tmux`);
      await startTmuxSession(incus, {
        container,
        uid: codeUid,
        home,
        user: codeUser,
        env,
        command: adapter.command(binary, {
          permissionMode: config.tool.permission_mode,
          ...(req.resume ? { resume: req.resume } : {}),
        }),
      });
    }
    return {
      container,
      slot,
      sessionId,
      workspace,
      persistent,
      tool: adapter,
      codeUid,
      home,
      env,
      reused: !!reusable,
    };
  } catch (err) {
    await locks.release(container);
    if (!reusable)
      await (
        await incus.instances.delete(container, { force: true })
      )
        .wait()
        .catch(() => undefined);
    throw err;
  }
}

type ProfileDevices = Record<string, Record<string, string>>;

function profileDevice(
  devices: ProfileDevices,
  type: 'disk' | 'nic',
): Record<string, string> | undefined {
  return Object.values(devices).find((d) => d.type === type && (type === 'nic' || d.path === '/'));
}

/** The configured image, or the offline base image when the default one was never built. */
async function chooseImage(
  incus: Incus,
  image: string,
  explicit: boolean,
  step: (m: string) => void,
): Promise<string> {
  if (await incus.images.exists(image)) return image;
  const base = baseImageAlias();
  if (!explicit && image === 'coi-default' && (await incus.images.exists(base))) {
    step(`Image coi-default is not built yet (run \`coi build\`); using the base image ${base}`);
    return base;
  }
  throw new LaunchError(
    `image "${image}" does not exist: build it with \`coi build\` or pick another with --image`,
  );
}

/**
 * Creates the container in the requested slot, or the lowest free one. Two launches racing for
 * the same slot cannot both win: Incus refuses the second name, which then moves on.
 */
async function createInFreeSlot(
  req: LaunchRequest,
  names: string[],
  spec: (name: string, slot: number) => ReturnType<typeof buildLaunchSpec>,
): Promise<{ container: string; slot: number }> {
  const taken = new Set(names);
  for (let attempt = 0; attempt < 10; attempt++) {
    const slot = req.slot ?? lowestFreeSlot(req.workspace, taken, req.prefix);
    const name = containerName(req.workspace, slot, req.prefix);
    if (req.slot !== undefined && taken.has(name)) {
      throw new LaunchError(
        `slot ${slot} is taken by ${name}: attach with \`coi attach ${name}\` or pick another slot`,
      );
    }
    req.onStep?.(`Creating ${name}`);
    try {
      await (await req.incus.instances.create({ ...spec(name, slot), start: true })).wait();
      return { container: name, slot };
    } catch (err) {
      if (!(err instanceof IncusConflictError) || req.slot !== undefined) throw err;
      taken.add(name);
    }
  }
  throw new LaunchError('could not find a free slot after 10 attempts');
}

interface NamedInstance {
  name: string;
  status: string;
  config: Record<string, string>;
}

/** A stopped persistent container of this workspace to start again (lowest slot first). */
function findReusable(
  instances: NamedInstance[],
  workspace: string,
  prefix: string,
  slot: number | undefined,
) {
  const hash = workspaceHash(workspace);
  return instances
    .map((i) => ({ ...i, parsed: parseContainerName(i.name, prefix) }))
    .filter(
      (i) =>
        i.parsed?.hash === hash &&
        i.status === 'Stopped' &&
        i.config['user.coi.persistent'] === 'true',
    )
    .filter((i) => slot === undefined || i.parsed?.slot === slot)
    .sort((a, b) => (a.parsed?.slot ?? 0) - (b.parsed?.slot ?? 0))
    .map((i) => ({ name: i.name, slot: i.parsed?.slot ?? 0 }))[0];
}

async function findResume(
  saved: SavedSessions,
  tool: string,
  workspace: string,
  resume: ResumeRequest,
): Promise<SavedSession> {
  const sessions = await saved.list({ tool, workspace });
  const found =
    resume.kind === 'id' ? sessions.find((s) => s.session_id === resume.id) : sessions[0];
  if (!found) {
    throw new LaunchError(
      resume.kind === 'id'
        ? `no saved ${tool} session ${resume.id} for ${workspace} (see \`coi list --all\`)`
        : `no saved ${tool} session for ${workspace} to resume`,
    );
  }
  return found;
}

async function profileContext(loaded: LoadedConfig): Promise<string | undefined> {
  const files = loaded.profile?.contextFiles ?? [];
  const parts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return parts.length ? parts.join('\n\n') : undefined;
}
