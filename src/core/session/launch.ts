import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IncusConflictError } from '../../incus/errors.js';
import { FileTreeApi } from '../../incus/file-tree.js';
import type { Incus } from '../../incus/index.js';
import type { Instance } from '../../incus/instance-types.js';
import type { Config, LoadedConfig } from '../config/index.js';
import { baseImageAlias } from '../image/recipe.js';
import {
  containerName,
  lowestFreeSlot,
  newSessionId,
  parseContainerName,
  workspaceHash,
} from '../../shared/naming.js';
import { toolAdapter } from '../tools/registry.js';
import type { ResumeRequest, ToolAdapter } from '../tools/types.js';
import { sandboxContext } from './context.js';
import { sessionEnvironment } from './environment.js';
import { HostLocks } from './host-locks.js';
import {
  effectiveCodeUid,
  prepareContainer,
  readHomeFile,
  writeHomeFiles,
  type InsideSetup,
} from './inside.js';
import { buildLaunchSpec } from './launch-spec.js';
import { openGuard } from './network.js';
import { withFreeAddress } from '../../security/network/index.js';
import { instanceBridge, pinnedAddresses } from '../../shared/instance-network.js';
import { profileTargets } from '../../shared/profile-devices.js';
import { policyFromConfig } from '../policy/network-policy.js';
import { ensureMonitorDaemon } from '../../security/monitor/ensure.js';
import { plantCanaries } from '../../security/sources/canaries.js';
import { materialiseProtectedPaths, protectedPathList } from './protected-paths.js';
import { SavedSessions, type SavedSession } from './saved-sessions.js';
import { hostTimezone } from './timezone.js';
import { withLockFile } from '../../shared/lock-file.js';
import { startTmuxSession } from './tmux.js';
import { readCoiKeys } from '../../shared/instance-keys.js';

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
  /**
   * Start the tool in tmux (coi shell), or leave the container ready for a command (coi run):
   * then no context files are written.
   */
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
  codeUser: string;
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

  // Everything the launch needs to know, asked for at once.
  const [owner, existing, server, profile, imageAvailable] = await Promise.all([
    stat(workspace).catch(() => undefined),
    incus.instances.list(),
    incus.server.get(),
    incus.profiles.get('default'),
    imageChoice(incus, req.image ?? config.container.image, req.image !== undefined),
  ]);
  if (!owner?.isDirectory()) throw new LaunchError(`workspace ${workspace} is not a directory`);
  const idmapped =
    server.environment?.kernel_features?.idmapped_mounts === 'true' && !config.incus.disable_shift;
  const codeUid = effectiveCodeUid({
    hostUid: owner.uid,
    codeUid: config.incus.code_uid,
    idmapped,
  });
  const codeUser = config.incus.code_user;
  const home = `/home/${codeUser}`;

  // Host-side first (env_commands run here): a failure must not cost a container.
  const env = await sessionEnvironment({
    config,
    hostEnv: req.hostEnv,
    codeUser,
    cliEnv: req.cliEnv,
    sshAgent: !!(config.ssh.forward_agent && req.hostEnv.SSH_AUTH_SOCK),
    timezone: sessionTimezone(config),
  });
  const saved = new SavedSessions(req.coiDir);
  const resumed = req.resume
    ? await findResume(saved, adapter.name, workspace, req.resume)
    : undefined;
  const sessionId = resumed?.session_id ?? newSessionId();
  const reusable = persistent ? findReusable(existing, workspace, req.prefix, req.slot) : undefined;
  refusePrivileged(reusable ? reusable.instance.expanded_config : profile.config, 'default');
  const protectedPaths = await materialiseProtectedPaths(
    workspace,
    protectedPathList(config),
    owner.uid,
    owner.gid,
  );

  const targets = profileTargets(profile.devices);
  const bridge = targets.bridge ?? 'incusbr0';
  const guard = await openGuard(
    incus,
    reusable ? (instanceBridge(reusable.instance) ?? bridge) : bridge,
  );
  let container: string;
  let slot: number;
  let ip: string | undefined;
  if (reusable) {
    ({ name: container, slot } = reusable);
    ip = pinnedAddresses(reusable.instance)[0];
  } else {
    const { image, note, missing } = imageAvailable;
    if (!image) {
      // A reused persistent container does not need it, so this is only an error here.
      throw new LaunchError(
        `image "${missing}" does not exist: build it with \`coi build\` or pick another with --image`,
      );
    }
    if (note) step(note);
    const pool = config.container.storage_pool || targets.pool || 'default';
    const sshAgentSocket = config.ssh.forward_agent ? req.hostEnv.SSH_AUTH_SOCK : undefined;
    ({ container, slot, ip } = await createInFreeSlot(req, bridge, (name, slotNo, ipv4Address) =>
      buildLaunchSpec({
        name,
        image,
        workspace,
        slot: slotNo,
        sessionId,
        tool: adapter.name,
        ...(loaded.profile ? { profile: loaded.profile.name } : {}),
        persistent,
        config,
        pool,
        bridge,
        ipv4Address,
        idmappedMounts: idmapped,
        hostUid: owner.uid,
        codeUid,
        protectedPaths,
        ...(sshAgentSocket ? { sshAgentSocket } : {}),
      }),
    ));
  }

  const locks = new HostLocks(join(req.coiDir, 'locks'));
  try {
    if (!ip) {
      throw new LaunchError(
        `${container} has no IPv4 address pinned on its NIC, so coi cannot apply its network rules; ` +
          'it was made by an older coi: delete it with `coi kill ' +
          container +
          '`',
      );
    }
    step(`Applying the ${config.network.mode} network rules (${ip})`);
    await guard.prepare(container, ip, policyFromConfig(config));
    await guard.apply(ip);
    if (config.monitoring.enabled && !reusable) {
      // Planted while it is stopped, so the monitor's watch finds them when it attaches.
      await plantCanaries(incus, container, home, codeUid);
    }
    if (config.monitoring.enabled || config.network.mode === 'allowlist') {
      // One host process watches every container and runs the allowlist's DNS resolver.
      await ensureMonitorDaemon({ coiDir: req.coiDir });
    }
    step(reusable ? `Starting persistent container ${container}` : `Starting ${container}`);
    await (await incus.instances.start(container)).wait();
    step('Preparing the container');
    await Promise.all([
      prepareContainer(incus, container, insideSetup(config, container, codeUid, !reusable)),
      config.security.host_immutable
        ? locks.lock(
            container,
            protectedPaths.map((rel) => join(workspace, rel)),
          )
        : undefined,
    ]);
    if (resumed && adapter.stateDir) {
      step(`Restoring saved session ${resumed.session_id}`);
      await saved.restore(
        new FileTreeApi(incus.client),
        resumed,
        container,
        home,
        adapter.stateDir,
        codeUid,
      );
    }
    if (req.startTool) {
      await writeContext(req, { container, slot, persistent, adapter, home, codeUid });
    }
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
      codeUser,
      home,
      env,
      reused: !!reusable,
    };
  } catch (err) {
    if (reusable) {
      await (await incus.instances.stop(container, { force: true })).wait().catch(() => undefined);
    } else {
      await (
        await incus.instances.delete(container, { force: true })
      )
        .wait()
        .catch(() => undefined);
    }
    if (ip) await guard.release(ip).catch(() => undefined);
    await locks.release(container);
    throw err;
  }
}

function sessionTimezone(config: Config): string | undefined {
  if (config.timezone.mode === 'host') return hostTimezone();
  return config.timezone.mode === 'utc' ? 'Etc/UTC' : config.timezone.name;
}

/** The root-side set-up; a reused persistent container only needs to become ready again. */
function insideSetup(
  config: Config,
  container: string,
  codeUid: number,
  fresh: boolean,
): InsideSetup {
  const { runtime } = config.limits;
  const timezone = sessionTimezone(config);
  return {
    hostname: container,
    codeUser: config.incus.code_user,
    codeUid,
    imageUid: fresh ? config.incus.code_uid : codeUid,
    ...(config.git.name ? { gitName: config.git.name } : {}),
    ...(config.git.email ? { gitEmail: config.git.email } : {}),
    ...(timezone ? { timezone } : {}),
    ...(runtime.max_duration && runtime.auto_stop ? { maxDuration: runtime.max_duration } : {}),
    stopGraceful: runtime.stop_graceful,
    readyTimeoutSeconds: config.container.ready_timeout,
  };
}

/** `~/SANDBOX_CONTEXT.md` and the tool's native context and settings files. */
async function writeContext(
  req: LaunchRequest,
  s: {
    container: string;
    slot: number;
    persistent: boolean;
    adapter: ToolAdapter;
    home: string;
    codeUid: number;
  },
): Promise<void> {
  const { config } = req.loaded;
  const context = config.tool.auto_context
    ? sandboxContext({
        config,
        workspace: req.workspace,
        slot: s.slot,
        container: s.container,
        persistent: s.persistent,
        profileContext: await profileContext(req.loaded),
      })
    : undefined;
  const homeOpts = { context, permissionMode: config.tool.permission_mode };
  const paths = s.adapter.homeFiles(homeOpts, () => undefined).map((f) => f.path);
  const current = new Map(
    await Promise.all(
      paths.map(
        async (path) => [path, await readHomeFile(req.incus, s.container, s.home, path)] as const,
      ),
    ),
  );
  await writeHomeFiles(req.incus, s.container, s.home, s.codeUid, [
    ...(context ? [{ path: 'SANDBOX_CONTEXT.md', content: context }] : []),
    ...s.adapter.homeFiles(homeOpts, (path) => current.get(path)),
  ]);
}

/** coi never runs privileged containers, whatever an Incus profile says. */
function refusePrivileged(config: Record<string, string>, profile: string): void {
  if (config['security.privileged'] === 'true') {
    throw new LaunchError(
      `the container would run privileged (security.privileged=true, from the Incus profile "${profile}" or the container's own config); coi refuses privileged containers: remove the key (incus profile unset ${profile} security.privileged)`,
    );
  }
}

/** The configured image, or the offline base image when the default one was never built. */
async function imageChoice(
  incus: Incus,
  image: string,
  explicit: boolean,
): Promise<{ image?: string; note?: string; missing?: string }> {
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

/**
 * Creates the container in the requested slot, or the lowest free one. Launches of one workspace
 * on this host pick their slots one at a time (see withLockFile), from a fresh list of names; a
 * name taken anyway (another host, another user) moves on to the next slot.
 */
async function createInFreeSlot(
  req: LaunchRequest,
  bridge: string,
  spec: (name: string, slot: number, ip: string) => ReturnType<typeof buildLaunchSpec>,
): Promise<{ container: string; slot: number; ip: string }> {
  const wait = () =>
    req.onStep?.('Waiting for another coi launch of this workspace to pick its slot');
  return withLockFile(
    join(req.coiDir, 'locks'),
    `${req.prefix}${workspaceHash(req.workspace)}`,
    { onWait: wait },
    async () => {
      const taken = new Set(await req.incus.instances.names());
      for (;;) {
        const slot = req.slot ?? lowestFreeSlot(req.workspace, taken, req.prefix);
        const name = containerName(req.workspace, slot, req.prefix);
        if (req.slot !== undefined && taken.has(name)) throw slotTaken(slot, name);
        req.onStep?.(`Creating ${name}`);
        try {
          // Created stopped, with its address pinned: the rules go in before it ever runs.
          const ip = await withFreeAddress(
            req.incus,
            bridge,
            join(req.coiDir, 'locks'),
            async (free) => {
              await (
                await req.incus.instances.create({ ...spec(name, slot, free), start: false })
              ).wait();
              return free;
            },
          );
          return { container: name, slot, ip };
        } catch (err) {
          if (!(err instanceof IncusConflictError)) throw err;
          if (req.slot !== undefined) throw slotTaken(slot, name);
          taken.add(name);
        }
      }
    },
  );
}

function slotTaken(slot: number, name: string): LaunchError {
  return new LaunchError(
    `slot ${slot} is taken by ${name}: attach with \`coi attach ${name}\`, pick another --slot, or use --slot 0 for the lowest free one`,
  );
}

/** A stopped persistent container of this workspace to start again (lowest slot first). */
function findReusable(
  instances: Instance[],
  workspace: string,
  prefix: string,
  slot: number | undefined,
): { name: string; slot: number; instance: Instance } | undefined {
  const hash = workspaceHash(workspace);
  return instances
    .map((instance) => ({ instance, parsed: parseContainerName(instance.name, prefix) }))
    .filter(
      ({ instance, parsed }) =>
        parsed?.hash === hash &&
        (slot === undefined || parsed.slot === slot) &&
        instance.status === 'Stopped' &&
        readCoiKeys(instance.config).persistent,
    )
    .map(({ instance, parsed }) => ({ name: instance.name, slot: parsed?.slot ?? 0, instance }))
    .sort((a, b) => a.slot - b.slot)[0];
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
        : `no saved ${tool} session for ${workspace} to resume (see \`coi list --all\`)`,
    );
  }
  return found;
}

async function profileContext(loaded: LoadedConfig): Promise<string | undefined> {
  const files = loaded.profile?.contextFiles ?? [];
  const parts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return parts.length ? parts.join('\n\n') : undefined;
}
