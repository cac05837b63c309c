import type { Config } from '../config/index.js';
import { protectedPathList } from './protected-paths.js';

export interface SandboxContextInput {
  config: Config;
  workspace: string;
  slot: number;
  container: string;
  persistent: boolean;
  /** The profile's CONTEXT.md, appended under its own heading. */
  profileContext?: string;
  /** `[tool] context_file`: the user's own text instead of coi's notes. */
  text?: string;
}

/** `~/SANDBOX_CONTEXT.md`: what the agent should know about the machine it runs in. */
export function sandboxContext(input: SandboxContextInput): string {
  const lines = input.text !== undefined ? [input.text.trimEnd()] : builtIn(input);
  if (input.profileContext?.trim())
    lines.push('', '## Profile context', '', input.profileContext.trim());
  return `${lines.join('\n')}\n`;
}

function builtIn(input: SandboxContextInput): string[] {
  const { config } = input;
  const network = {
    restricted:
      'restricted: the internet is reachable, private networks and cloud metadata are blocked',
    allowlist: `allowlist: only these hosts are reachable: ${config.network.allowed_domains.join(', ')}`,
    open: 'open: no network filtering (still monitored)',
  }[config.network.mode];
  const protectedPaths = protectedPathList(config);
  const secrets = config.security.secret_paths;
  return [
    '# Sandbox context',
    '',
    "You are running inside a coi sandbox: an isolated Incus system container, not the user's machine.",
    '',
    `- Workspace: the user's project ${input.workspace} is mounted at /workspace. Changes there persist on the host.`,
    `- Container: ${input.container} (slot ${input.slot}), ${input.persistent ? 'persistent: kept between sessions' : 'ephemeral: deleted when the session ends (only /workspace persists)'}.`,
    `- Network: ${network}.`,
    ...namedHosts(config),
    '- You are the user `code` with passwordless sudo; systemd and Docker work inside.',
    '- No host credentials, SSH keys or tokens are here unless the user forwarded them.',
    `- Protected paths are read-only: ${protectedPaths.length > 0 ? protectedPaths.join(', ') : 'none'}.`,
    ...(secrets.length > 0
      ? [`- Files matching ${secrets.join(', ')} are masked: they exist here but read as empty.`]
      : []),
    '- Security monitoring may pause or stop this container on suspicious activity (reverse shells, secret scanning, metadata access, exfiltration).',
    '- `sudo poweroff` (or `close`) ends the session.',
  ];
}

/** `[[network.hosts]]`, which the agent reaches by name although the rest of the LAN is blocked. */
function namedHosts(config: Config): string[] {
  const { hosts } = config.network;
  if (hosts.length === 0) return [];
  const shown = hosts.map(
    (h) =>
      `${h.hostnames.join(', ')} (${h.ip}, ports ${h.ports.length ? h.ports.join(',') : 'all'})`,
  );
  return [`- Named hosts, reachable by name: ${shown.join('; ')}.`];
}
