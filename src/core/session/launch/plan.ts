import type { Instance } from '../../../incus/instance-types.js';
import type { NetworkPolicy } from '../../../security/nft/index.js';
import { codeHome, readCoiKeys } from '../../../shared/instance-keys.js';
import { instanceBridge, pinnedAddresses } from '../../../shared/instance-network.js';
import { parseContainerName, sessionIdentity, workspaceHash } from '../../../shared/naming.js';
import { profileTargets } from '../../../shared/profile-devices.js';
import type { Config } from '../../config/index.js';
import { policyFromConfig } from '../../policy/network-policy.js';
import type { ResumeRequest, ToolAdapter } from '../../tools/types.js';
import type { LaunchRequest } from '../launch.js';
import { protectedPathList } from '../protected-paths.js';
import { decideWorkspaceMapping, type WorkspaceMapping } from '../workspace-mapping.js';
import type { SavedSession } from '../saved-sessions.js';
import type { ImageChoice, LaunchFacts } from './facts.js';
import { LaunchError } from './launch-error.js';

/** A stopped persistent container of the workspace, started again as it is. */
export interface ReuseTarget {
  kind: 'reuse';
  container: string;
  slot: number;
  ip: string;
}

/** A new container, created stopped in a free slot. */
export interface CreateTarget {
  kind: 'create';
  image: string;
  /** Said to the user before creating (the base image stands in for coi-default). */
  note?: string;
  /** Storage pool of its root disk. */
  pool: string;
}

/** What a launch will do, decided from the config, the request and the facts; no I/O. */
export interface LaunchPlan {
  /** What the containers are named by: the workspace, or `[container] session_name`. */
  identity: string;
  persistent: boolean;
  tool: ToolAdapter;
  binary: string;
  codeUid: number;
  codeUser: string;
  home: string;
  /** How the workspace owner becomes the code user inside. */
  mapping: WorkspaceMapping;
  /** The workspace's owner on the host. */
  owner: { uid: number; gid: number };
  sessionId: string;
  /** A saved session to push back into the tool's state directory (--resume). */
  restore?: { session: SavedSession; stateDir: string };
  target: ReuseTarget | CreateTarget;
  /** The bridge the container's NIC is on, which its rules are keyed on. */
  bridge: string;
  policy: NetworkPolicy;
  /** Protected paths relative to the workspace, to materialise before the container is made. */
  protectedPaths: string[];
  /** `chattr +i` the protected paths on the host while the session runs. */
  lockHostPaths: boolean;
  /** Plant canaries: monitoring is on and the container is new. */
  canaries: boolean;
  /**
   * The monitor daemon must run: monitoring, the allowlist's DNS resolver, or the session's
   * supervision (host locks to release when the container goes, whoever removes it; an ephemeral
   * session to save and delete when it powers itself off).
   */
  monitorDaemon: boolean;
  /** The host's ssh-agent socket, forwarded when `[ssh] forward_agent` is on and one runs. */
  sshAgentSocket?: string;
}

export type PlanRequest = Pick<
  LaunchRequest,
  'loaded' | 'workspace' | 'slot' | 'resume' | 'prefix' | 'ephemeral' | 'hostEnv'
>;

export function planLaunch(facts: LaunchFacts, req: PlanRequest): LaunchPlan {
  const { config } = req.loaded;
  const { owner, tool } = facts;
  if (!owner) throw new LaunchError(`workspace ${req.workspace} is not a directory`);
  const persistent = req.ephemeral ? false : config.container.persistent;
  const { mapping, codeUid } = decideWorkspaceMapping({
    workspace: req.workspace,
    owner,
    codeUid: config.incus.code_uid,
    idmappedMounts: facts.idmappedMounts,
    disableShift: config.incus.disable_shift,
    hostRoot: facts.hostRoot,
  });
  const resumed = req.resume && pickResume(facts.savedSessions, req.resume, tool.adapter, req);
  const identity = sessionIdentity(req.workspace, config.container.session_name);
  const reusable = persistent ? findReusable(facts.instances, { ...req, identity }) : undefined;
  refusePrivileged(reusable ? reusable.instance.expanded_config : facts.profile.config, 'default');
  const targets = profileTargets(facts.profile.devices);
  const bridge = targets.bridge ?? 'incusbr0';
  const sshAgentSocket = config.ssh.forward_agent ? req.hostEnv.SSH_AUTH_SOCK : undefined;
  const protectedPaths = protectedPathList(config);
  const lockHostPaths = config.security.host_immutable;
  const supervised = (lockHostPaths && protectedPaths.length > 0) || !persistent;
  return {
    identity,
    persistent,
    tool: tool.adapter,
    binary: tool.binary,
    codeUid,
    codeUser: config.incus.code_user,
    home: codeHome(config.incus.code_user),
    mapping,
    owner,
    sessionId: resumed ? resumed.session_id : facts.newSessionId,
    ...(resumed && tool.adapter.stateDir
      ? { restore: { session: resumed, stateDir: tool.adapter.stateDir } }
      : {}),
    target: reusable
      ? reuseTarget(reusable)
      : createTarget(facts.image, config.container.storage_pool || targets.pool || 'default'),
    bridge: reusable ? (instanceBridge(reusable.instance) ?? bridge) : bridge,
    ...monitoring(config, !reusable, supervised),
    policy: policyFromConfig(config),
    protectedPaths,
    lockHostPaths,
    ...(sshAgentSocket ? { sshAgentSocket } : {}),
  };
}

/** `supervised`: the session has host locks or is ephemeral (see LaunchPlan.monitorDaemon). */
function monitoring(
  config: Config,
  fresh: boolean,
  supervised: boolean,
): Pick<LaunchPlan, 'canaries' | 'monitorDaemon'> {
  const enabled = config.monitoring.enabled;
  return {
    canaries: enabled && fresh,
    monitorDaemon: enabled || config.network.mode === 'allowlist' || supervised,
  };
}

/** coi never runs privileged containers, whatever an Incus profile says. */
function refusePrivileged(config: Record<string, string>, profile: string): void {
  if (config['security.privileged'] === 'true') {
    throw new LaunchError(
      `the container would run privileged (security.privileged=true, from the Incus profile "${profile}" or the container's own config); coi refuses privileged containers: remove the key (incus profile unset ${profile} security.privileged)`,
    );
  }
}

function createTarget(choice: ImageChoice, pool: string): CreateTarget {
  if (!choice.image) {
    // A reused persistent container does not need it, so this is only an error here.
    throw new LaunchError(
      `image "${choice.missing}" does not exist: build it with \`coi build\` or pick another with --image`,
    );
  }
  return {
    kind: 'create',
    image: choice.image,
    pool,
    ...(choice.note ? { note: choice.note } : {}),
  };
}

interface Reusable {
  name: string;
  slot: number;
  instance: Instance;
}

function reuseTarget({ name, slot, instance }: Reusable): ReuseTarget {
  const ip = pinnedAddresses(instance)[0];
  if (!ip) {
    throw new LaunchError(
      `${name} has no IPv4 address pinned on its NIC, so coi cannot apply its network rules; ` +
        `it was made by an older coi: delete it with \`coi kill ${name}\``,
    );
  }
  return { kind: 'reuse', container: name, slot, ip };
}

/** A stopped persistent container of this identity to start again (lowest slot first). */
function findReusable(
  instances: Instance[],
  req: Pick<PlanRequest, 'prefix' | 'slot'> & { identity: string },
): Reusable | undefined {
  const hash = workspaceHash(req.identity);
  return instances
    .map((instance) => ({ instance, parsed: parseContainerName(instance.name, req.prefix) }))
    .filter(
      ({ instance, parsed }) =>
        parsed?.hash === hash &&
        (req.slot === undefined || parsed.slot === req.slot) &&
        instance.status === 'Stopped' &&
        readCoiKeys(instance.config).persistent,
    )
    .map(({ instance, parsed }) => ({ name: instance.name, slot: parsed?.slot ?? 0, instance }))
    .sort((a, b) => a.slot - b.slot)[0];
}

/** The saved session `--resume` names: by id, or the newest. */
function pickResume(
  sessions: SavedSession[],
  resume: ResumeRequest,
  tool: ToolAdapter,
  req: Pick<PlanRequest, 'workspace'>,
): SavedSession {
  const found =
    resume.kind === 'id' ? sessions.find((s) => s.session_id === resume.id) : sessions[0];
  if (!found) {
    throw new LaunchError(
      resume.kind === 'id'
        ? `no saved ${tool.name} session ${resume.id} for ${req.workspace} (see \`coi list --all\`)`
        : `no saved ${tool.name} session for ${req.workspace} to resume (see \`coi list --all\`)`,
    );
  }
  return found;
}
