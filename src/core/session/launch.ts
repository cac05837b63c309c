import { join } from 'node:path';
import type { IncusApi } from '../../incus/index.js';
import type { NetworkGuard } from '../../security/network/index.js';
import { secureContainer, type SecureContainerInput } from '../../security/secure-container.js';
import { Reverter, withUndoFailures } from '../../shared/revert.js';
import type { LoadedConfig } from '../config/index.js';
import { SessionLog } from '../logs/session-log.js';
import type { ResumeRequest, ToolAdapter } from '../tools/types.js';
import { AliasRegistry } from './aliases.js';
import { sessionClaims } from './claim.js';
import { HostLocks } from './host-locks.js';
import { allocate } from './launch/allocate.js';
import { planCredentialProxy, prepareCredentialProxy } from './launch/credential-proxy.js';
import { withoutLoginEnv } from './launch/login-env.js';
import { gatherFacts } from './launch/facts.js';
import { planLaunch, type LaunchPlan } from './launch/plan.js';
import { portLine, portsEnv } from './launch/ports.js';
import { prepareSession, toolCommand } from './launch/prepare.js';
import { launchEnvironment } from './launch/setup.js';
import { startSessionContainer } from './launch/start.js';
import { openGuard } from './network.js';
import { prepareWorkspaceMounts } from './workspace-mounts.js';

export interface LaunchRequest {
  incus: IncusApi;
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
  /** The host user's home, whose agent logins are copied in (default: this process's home). */
  hostHome?: string;
  prefix: string;
  /**
   * Start the tool in tmux (coi shell), or leave the container ready for a command (coi run):
   * then no context files are written unless `toolFiles` asks for them.
   */
  startTool: boolean;
  /** Write the tool's context and settings files without starting it (a headless prompt). */
  toolFiles?: boolean;
  /**
   * The caller runs the tool on its own terminal (`[shell] use_tmux = false`): no tmux session is
   * started, and `Session.command` is what to run.
   */
  direct?: boolean;
  /** Forces an ephemeral container whatever the config says (coi run). */
  ephemeral?: boolean;
  /** Progress, one line each, worded as the Go coi words it where it has the same step. */
  /**
   * This process waits on the session and ends it itself (`coi shell` attached, `coi run`): its
   * claim on the container (see SessionClaims) lasts until it exits, so the supervisor leaves a
   * poweroff to it. Otherwise the claim covers the launch only.
   */
  attended?: boolean;
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
  /** The agent's argv (what tmux runs, or what a direct session runs itself). */
  command: string[];
}

/**
 * Creates and prepares a session's container: facts, plan, container, network rules, start, the
 * set-up inside, then (for `coi shell`) the tool in tmux. Every step registers its undo as it
 * goes; a failure runs them in reverse, so nothing is left half-configured.
 */
export async function launchSession(request: LaunchRequest): Promise<Session> {
  // Each progress line also goes to the session's log, once the container has its name.
  const log = new SessionLog(request.coiDir);
  const req: LaunchRequest = {
    ...request,
    onStep: (message) => {
      log.info(message);
      request.onStep?.(message);
    },
  };
  const plan = planLaunch(await gatherFacts(req), req);
  const alias = req.loaded.config.container.alias;
  if (alias) new AliasRegistry(req.coiDir).register(alias, req.workspace, req.loaded.profile?.name);
  if (plan.restore) req.onStep?.(resumeLine(req.resume, plan.restore.session.session_id));
  // Host-side first (env_commands run here): a failure must not cost a container.
  const configuredEnv = await launchEnvironment(req, plan);
  const { config } = req.loaded;
  const proxy = planCredentialProxy(config, plan.tool, plan.policy, req.hostEnv, req.hostHome);
  if (proxy?.loginLine) req.onStep?.(proxy.loginLine);
  const guarded = proxy?.secretEnv
    ? withoutLoginEnv(configuredEnv, proxy.secretEnv)
    : { env: configuredEnv };
  if (guarded.line) req.onStep?.(guarded.line);
  // Injection outside allowlist mode: its HTTP(S) goes through the egress proxy too.
  if (proxy?.anyName) plan.policy = { ...plan.policy, anyNameProxy: true };
  const { workspace, coiDir } = req;
  const mounts = await prepareWorkspaceMounts({
    workspace,
    coiDir,
    config: req.loaded.config,
    protectedPaths: plan.protectedPaths,
    owner: plan.owner,
  });
  const guard = await openGuard(req.incus, plan.bridge);
  const locks = new HostLocks(join(coiDir, 'locks'));
  const revert = new Reverter();
  try {
    const { container, slot, ip, ports } = await allocate(req, plan, mounts, revert);
    log.attach(container);
    for (const port of ports) req.onStep?.(portLine(port));
    // The user's own variables win, as in the Go coi.
    const env = { ...portsEnv(ports), ...guarded.env, ...proxy?.env };
    if (proxy) await prepareCredentialProxy(coiDir, container, proxy, revert);
    const claim = await sessionClaims(coiDir).claim(container);
    revert.add(() => claim.drop());
    req.onStep?.(`Setting up session ${plan.sessionId}...`);
    req.onStep?.(`Applying the ${plan.policy.mode} network rules (${ip})...`);
    await secureContainer(req.incus, securing(req, plan, guard, { container, ip }), revert);
    await startSessionContainer(req, plan, container, mounts, locks, revert);
    const { protectedPaths } = mounts;
    const started = { container, ip, slot, env, protectedPaths, locks, log };
    await prepareSession(req, plan, { ...started, ...(proxy ? { credentialProxy: proxy } : {}) });
    revert.success();
    if (!req.attended) claim.release();
    return session(req, plan, { container, slot, env });
  } catch (err) {
    const failure = withUndoFailures(err, await revert.fail());
    log.error(`launch failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    throw failure;
  }
}

/** `--resume` without an id found the newest saved session; with one, it was asked for. */
function resumeLine(resume: ResumeRequest | undefined, sessionId: string): string {
  return resume?.kind === 'id'
    ? `Resuming session: ${sessionId}`
    : `Auto-detected session: ${sessionId}`;
}

/** What security needs to secure the container, and nothing of core's. */
function securing(
  req: LaunchRequest,
  plan: LaunchPlan,
  guard: NetworkGuard,
  placed: { container: string; ip: string },
): SecureContainerInput {
  return {
    guard,
    ...placed,
    policy: plan.policy,
    ...(plan.canaries ? { canaries: { home: plan.home, uid: plan.codeUid } } : {}),
    ...(plan.monitorDaemon ? { monitor: { coiDir: req.coiDir, prefix: req.prefix } } : {}),
  };
}

function session(
  req: LaunchRequest,
  plan: LaunchPlan,
  placed: Pick<Session, 'container' | 'slot' | 'env'>,
): Session {
  return {
    ...placed,
    sessionId: plan.sessionId,
    workspace: req.workspace,
    persistent: plan.persistent,
    tool: plan.tool,
    codeUid: plan.codeUid,
    codeUser: plan.codeUser,
    home: plan.home,
    reused: plan.target.kind === 'reuse',
    command: toolCommand(req, plan),
  };
}
