import { homedir } from 'node:os';
import { join, posix } from 'node:path';
import type { CredentialBundle } from '../../config/index.js';
import type { HostFile, PermissionMode, ProxySentinel, ToolAdapter } from '../../tools/types.js';

/** One host path to copy into the session, as decided from the tool and `[[credentials]]`. */
export interface HostCopy {
  /** Absolute host path (a file; for a `[[credentials]]` bundle, a file or a directory). */
  host: string;
  /** Absolute path inside the container. */
  container: string;
  /** Permission bits of the copied files. */
  mode: number;
  writeBack: boolean;
  /** What the container gets instead of the host's bytes (see HostFile.merge). */
  merge?: (content: string | undefined) => string | undefined;
  /** Who asked for it, for messages: `claude`, `[[credentials]] #1`. */
  origin: string;
}

export interface HostCopyRequest {
  tool: ToolAdapter;
  bundles: readonly CredentialBundle[];
  permissionMode: PermissionMode;
  /** The host user's home (injectable for tests); defaults to the process's. */
  hostHome?: string;
  /** The code user's home inside. */
  home: string;
  /**
   * The login goes by the egress proxy: files with a sentinel form get it, holding this sentinel
   * instead of any secret, and are never written back.
   */
  proxySentinel?: ProxySentinel;
}

const SECRET_MODE = 0o600;
const PLAIN_MODE = 0o644;

/** What a session copies in: the tool's declared host files, then each `[[credentials]]` bundle. */
export function planHostCopies(req: HostCopyRequest): HostCopy[] {
  const hostHome = req.hostHome ?? homedir();
  const opts = { permissionMode: req.permissionMode };
  const { proxySentinel } = req;
  const fromTool = (req.tool.hostFiles ?? []).map((file: HostFile): HostCopy => {
    const { sentinel } = file;
    const base = {
      host: join(hostHome, file.path),
      container: posix.join(req.home, file.path),
      mode: file.secret ? SECRET_MODE : PLAIN_MODE,
      origin: req.tool.name,
    };
    if (sentinel && proxySentinel !== undefined)
      return {
        ...base,
        writeBack: false,
        merge: (content) => sentinel(content, { ...opts, sentinel: proxySentinel }),
      };
    return {
      ...base,
      writeBack: file.writeBack ?? false,
      ...(file.merge ? { merge: (content) => file.merge!(content, opts) } : {}),
    };
  });
  const fromBundles = req.bundles.flatMap((bundle, index) => {
    const container = bundle.container.startsWith('~')
      ? posix.join(req.home, bundle.container.slice(1))
      : bundle.container;
    const base = {
      mode: parseInt(bundle.mode, 8),
      writeBack: bundle.write_back,
      origin: `[[credentials]] #${index + 1}`,
    };
    return typeof bundle.host === 'string'
      ? [{ ...base, host: bundle.host, container }]
      : bundle.host.map((host) => ({
          ...base,
          host,
          container: posix.join(container, posix.basename(host)),
        }));
  });
  return [...fromTool, ...fromBundles];
}
