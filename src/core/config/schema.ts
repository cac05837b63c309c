import { z } from 'zod';
import { allowlistEntryProblem } from '../../security/nft/policy.js';
import { isIpv4 } from '../../shared/ipv4.js';
import { parsePortList, PortListError } from '../../shared/ports.js';
import { agentExpectation, isBuildAgent } from '../image/agents.js';
import { CLAUDE_CREDENTIALS, NETWORK_MODES, NO_SNI_POLICIES, TOOL_NAMES } from './choices.js';
import { portsSchema } from './ports-schema.js';
import { globProblem } from '../../shared/workspace-glob.js';

/**
 * The shape of coi's configuration. `configSchema` describes the effective (fully merged) config;
 * every key is present there because assets/config.default.toml sets it. Each config file is a
 * partial layer checked by `layerSchema`, derived from the same definition.
 */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SIZE = /^\d+(\.\d+)?(B|kB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)?$/;
const DURATION = /^(\d+(h|m|s))+$/;
export const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const IPV4_CIDR =
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([12]?\d|3[0-2]))?$/;

const envName = z.string().regex(ENV_NAME, 'an environment variable name ([A-Za-z_][A-Za-z0-9_]*)');
const envMap = z.record(envName, z.string());
const blankOr = (pattern: RegExp, what: string) =>
  z.string().refine((v) => v === '' || pattern.test(v), `"" or ${what}`);
const homeOrAbsolute = z
  .string()
  .refine(
    (v) => v.startsWith('/') || v === '~' || v.startsWith('~/'),
    'a path starting with / or ~/',
  );
const containerPath = z
  .string()
  .refine((v) => v.startsWith('/'), 'an absolute path inside the container');
const nonNegative = z.int().min(0);
/** `[container] alias` as the Go coi accepts it. */
export const ALIAS_PATTERN = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
export const PROFILE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;
/** `[container] session_name`: the same rule as profile names and session ids. */
const SESSION_NAME = PROFILE_NAME;
const setting = z.string().min(1).optional();
/** A `[prompts]` name, also a file name below ~/.coi/prompts/. */
export const PROMPT_NAME = PROFILE_NAME;
const priority = z.int().min(0).max(10);
const size = blankOr(SIZE, 'a size such as "10GiB" or "512MiB"');
/** `[limits.memory] swap`: on/off as a boolean or upstream's string, or a swap size. */
const swap = z.union([
  z.boolean(),
  z
    .string()
    .refine(
      (v) => v === 'true' || v === 'false' || (v !== '' && SIZE.test(v)),
      'true, false, "true", "false" or a size such as "1GiB"',
    ),
]);

const allowedDomain = z.string().superRefine((value, ctx) => {
  const [host = '', , extra] = value.split(':');
  const name = host.startsWith('*.') ? host.slice(2) : host;
  const hostOk = HOSTNAME.test(name) || (name === host && IPV4_CIDR.test(host));
  if (!hostOk || extra !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message:
        'a host name, "*.domain" (any name under domain), IPv4 address or CIDR, optionally followed by :ports (443, 8000-8100 or 80,8000-8100)',
    });
    return;
  }
  const problem = allowlistEntryProblem(value);
  if (problem)
    ctx.addIssue({ code: 'custom', message: `an entry whose ports are valid (it ${problem})` });
});

const ipv4 = z.string().refine(isIpv4, 'an IPv4 address (a.b.c.d)');
const port = z.int().min(1).max(65535);
/** One port (`5432`) or a range written as a string (`"8000-8100"`). */
const portOrRange = z.union([
  port,
  z.string().superRefine((text, ctx) => {
    try {
      if (parsePortList(text).length === 1) return;
      ctx.addIssue({ code: 'custom', message: 'one port range per item ("8000-8100")' });
    } catch (err) {
      if (!(err instanceof PortListError)) throw err;
      ctx.addIssue({ code: 'custom', message: `a port range like "8000-8100" (${err.message})` });
    }
  }),
]);
const hostEntrySchema = z.strictObject({
  ip: ipv4,
  hostnames: z.array(z.string().regex(HOSTNAME, 'a host name (letters, digits, - and .)')).min(1),
  ports: z.array(portOrRange).default([]),
});

const buildAgent = z.string().superRefine((name, ctx) => {
  if (!isBuildAgent(name)) ctx.addIssue({ code: 'custom', message: agentExpectation(name) });
});

const protectedPath = z
  .string()
  .refine(
    (v) => v !== '' && !v.startsWith('/') && !v.split('/').includes('..'),
    'a path relative to the workspace, without ".."',
  );

const oneLine = z.string().regex(/^[^\n\r]+$/, 'a non-empty single line');
/** Branch names as git spells them; the hooks match them literally. */
const branchName = z
  .string()
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'a branch name such as "main" or "release/1.x"');
const secretGlob = z.string().superRefine((glob, ctx) => {
  const problem = globProblem(glob);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const timezoneName = z.string().refine((name) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    // Intl's RangeError is the verdict: no such zone.
    return false;
  }
}, 'an IANA time zone such as "Europe/Berlin"');

const mountSchema = z.strictObject({
  host: z.string().min(1),
  container: containerPath,
  readonly: z.boolean().default(false),
  /** Idmapped mount; unset means "whatever the workspace mount uses". */
  shift: z.boolean().optional(),
});

const socketSchema = z.strictObject({
  host: z.string().min(1),
  container: containerPath,
  /** Environment variable set to the container path inside the session. */
  env: envName.optional(),
});

const hostPath = z.string().min(1);

/**
 * Host files or directories copied into the session's home at every start (trusted files only).
 * One host path goes to `container`; several go into the `container` directory by their names.
 */
const credentialSchema = z.strictObject({
  host: z.union([hostPath, z.array(hostPath).min(1)]),
  /** Absolute, or `~/…` for the code user's home. */
  container: homeOrAbsolute,
  /** Octal permission bits of the copied files. */
  mode: z
    .string()
    .regex(/^0?[0-7]{3}$/, 'octal permission bits such as "0600"')
    .default('0600'),
  /** Write a file changed inside back to the host when the session ends (a rotated token). */
  write_back: z.boolean().default(false),
});

/** An HTTP header the proxy may set: not one that frames the request or routes it. */
const injectHeader = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name such as "Authorization"')
  .refine(
    (name) =>
      !['host', 'connection', 'content-length', 'transfer-encoding', 'te', 'upgrade'].includes(
        name.toLowerCase(),
      ),
    'a header other than Host, Connection, Content-Length, Transfer-Encoding, TE or Upgrade',
  );

const injectDomain = z
  .string()
  .refine(
    (v) => HOSTNAME.test(v.startsWith('*.') ? v.slice(2) : v) && !/^[\d.]+$/.test(v),
    'a host name, or "*.domain" for any name under domain (no address, no port)',
  );

const SECRET_SOURCES = ['file', 'env', 'command'] as const;

/**
 * `[[network.proxy.inject]]`: a header the egress proxy sets on requests to a name, from a
 * secret on the host (trusted files only). Exactly one source; json_pointer goes with file.
 */
const injectRuleSchema = z
  .strictObject({
    domain: injectDomain,
    header: injectHeader,
    file: homeOrAbsolute.optional(),
    /** RFC 6901 (`/claudeAiOauth/accessToken`); "" or absent: the whole file, trimmed. */
    json_pointer: z
      .string()
      .refine((v) => v === '' || v.startsWith('/'), 'a JSON pointer such as "/token"')
      .optional(),
    /** A host environment variable, read at launch. */
    env: envName.optional(),
    /** Run on the host (as env_commands); its trimmed output, kept for a minute. */
    command: z.string().min(1).optional(),
    /** The header's value, `{}` standing for the secret. */
    format: z
      .string()
      .refine((v) => v.includes('{}'), 'a value with {} where the secret goes ("Bearer {}")')
      .default('{}'),
    /** With `env`: the container's variable of that name holds this instead of the secret. */
    sentinel: z.string().min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    const given = SECRET_SOURCES.filter((key) => rule[key] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: given.length > 1 ? [given[1]!] : [],
        message: `exactly one of file, env or command (${given.length ? `found ${given.join(' and ')}` : 'none given'})`,
      });
    if (rule.json_pointer !== undefined && rule.file === undefined)
      ctx.addIssue({ code: 'custom', path: ['json_pointer'], message: 'used with file only' });
    if (rule.sentinel !== undefined && rule.env === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['sentinel'],
        message: 'used with env only (the container variable that holds it instead)',
      });
  });

export const configSchema = z.strictObject({
  defaults: z.strictObject({
    forward_env: z.array(envName),
    environment: envMap,
    env_commands: envMap,
    /** Profile used when the command line names none (trusted files only). */
    profile: z.string().regex(PROFILE_NAME, 'a profile name').optional(),
  }),
  container: z.strictObject({
    image: z.string().min(1),
    persistent: z.boolean(),
    storage_pool: z.string(),
    shutdown_timeout: nonNegative,
    ready_timeout: z.int().min(1),
    /** A short name for this workspace's sessions: `coi shell NAME` from any directory. */
    alias: z
      .string()
      .regex(ALIAS_PATTERN, 'a letter, then letters, digits, "-" or "_" (at most 64)')
      .optional(),
    /** Replaces the workspace path as the session's identity (trusted files only). */
    session_name: z
      .string()
      .regex(SESSION_NAME, 'letters, digits, ".", "_" and "-", starting with a letter or digit')
      .optional(),
    /** Docker inside: nesting and the mknod/setxattr intercepts (false from any file). */
    docker: z.boolean(),
    build: z.strictObject({
      base: z.string().min(1).optional(),
      script: z.string().min(1).optional(),
      commands: z.array(z.string()).optional(),
      compression: z.string().min(1).optional(),
      agents: z.array(buildAgent).optional(),
    }),
  }),
  tool: z.strictObject({
    name: z.enum(TOOL_NAMES),
    binary: z.string().min(1).optional(),
    permission_mode: z.enum(['bypass', 'interactive']),
    auto_context: z.boolean(),
    /** A host markdown file used as the sandbox context instead of coi's own text. */
    context_file: homeOrAbsolute.optional(),
    claude: z.strictObject({
      model: setting,
      effort_level: z.enum(['low', 'medium', 'high', 'xhigh', 'max', 'auto']).optional(),
      /**
       * "copy": the host login is copied in; "proxy": the container gets a sentinel login and
       * the egress proxy sets the real token on requests to the Anthropic API (trusted only).
       */
      credentials: z.enum(CLAUDE_CREDENTIALS),
    }),
    codex: z.strictObject({
      model: setting,
      reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
    }),
    /**
     * Commands run inside the container (code user, /workspace) before the agent starts; one
     * string or a list (trusted files only).
     */
    pre_launch: z.union([z.string().min(1), z.array(z.string().min(1))]),
  }),
  shell: z.strictObject({
    /** false: the agent runs attached to this terminal directly, without tmux. */
    use_tmux: z.boolean(),
  }),
  /** Named prompts for `coi run --prompt-name NAME`. */
  prompts: z.record(
    z.string().regex(PROMPT_NAME, 'a prompt name ([a-zA-Z0-9._-], up to 64 characters)'),
    z.string().min(1),
  ),
  paths: z.strictObject({
    sessions_dir: homeOrAbsolute,
    storage_dir: homeOrAbsolute,
    logs_dir: homeOrAbsolute,
  }),
  incus: z.strictObject({
    project: z.string().min(1),
    remote: z.string(),
    group: z.string().min(1),
    code_uid: z
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    code_user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Linux user name'),
    disable_shift: z.boolean(),
  }),
  network: z.strictObject({
    mode: z.enum(NETWORK_MODES),
    allowed_domains: z.array(allowedDomain),
    refresh_interval_minutes: nonNegative,
    allow_local_network_access: z.boolean(),
    block_private_networks: z.boolean(),
    block_metadata_endpoint: z.boolean(),
    hosts: z.array(hostEntrySchema),
    allowed_ports: z.array(port),
    dns_servers: z.array(ipv4),
    proxy: z.strictObject({
      no_sni: z.enum(NO_SNI_POLICIES),
      inject: z.array(injectRuleSchema),
      /** Injection in open and restricted mode too: 80/443 through the proxy, any name spliced. */
      inject_in_open: z.boolean(),
    }),
  }),
  monitoring: z.strictObject({
    enabled: z.boolean(),
    auto_pause_on_high: z.boolean(),
    auto_kill_on_critical: z.boolean(),
    forensics_on_kill: z.boolean(),
    reverse_shell_one_liners: z.enum(['critical', 'warn', 'off']),
    file_read_threshold_mb: z.number().min(0),
    file_read_rate_mb_per_sec: z.number().min(0),
    file_write_threshold_mb: z.number().min(0),
    file_write_rate_mb_per_sec: z.number().min(0),
    process_count_threshold: nonNegative,
    process_spawn_rate_threshold: nonNegative,
    audit_log_retention_days: nonNegative,
    process_events: z.boolean(),
    nft: z.strictObject({
      enabled: z.boolean(),
      rate_limit_per_second: nonNegative,
      dns_query_threshold: nonNegative,
      log_dns_queries: z.boolean(),
    }),
  }),
  limits: z.strictObject({
    cpu: z.strictObject({
      count: blankOr(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a CPU count ("2") or CPU set ("0-3,6")'),
      allowance: blankOr(/^(\d+%|\d+ms\/\d+ms)$/, 'a share ("50%") or quota ("25ms/100ms")'),
      priority,
    }),
    memory: z.strictObject({
      limit: blankOr(new RegExp(`${SIZE.source}|^\\d+%$`), 'a size ("2GiB") or share ("50%")'),
      enforce: z.enum(['soft', 'hard']),
      swap,
    }),
    disk: z.strictObject({
      read: blankOr(new RegExp(`${SIZE.source}|^\\d+iops$`), 'a rate ("50MiB") or "1000iops"'),
      write: blankOr(new RegExp(`${SIZE.source}|^\\d+iops$`), 'a rate ("50MiB") or "1000iops"'),
      max: blankOr(new RegExp(`${SIZE.source}|^\\d+iops$`), 'a rate ("50MiB") or "1000iops"'),
      priority,
      /** Quota of the root disk (pools that support one: btrfs, zfs, lvm, ceph). */
      size,
      /** A tmpfs of this size on /tmp; "" keeps /tmp on the root disk. */
      tmpfs_size: size,
    }),
    runtime: z.strictObject({
      max_duration: blankOr(DURATION, 'a duration such as "2h" or "1h30m"'),
      max_processes: nonNegative,
      auto_stop: z.boolean(),
      stop_graceful: z.boolean(),
    }),
  }),
  security: z.strictObject({
    protected_paths: z.array(protectedPath),
    additional_protected_paths: z.array(protectedPath),
    disable_protection: z.boolean(),
    host_immutable: z.boolean(),
    /** Deny the io_uring, bpf, userfaultfd and keyring syscalls; turns Docker off. */
    reduce_kernel_surface: z.boolean(),
    /** Also deny perf_event_open; implies reduce_kernel_surface. */
    reduce_kernel_surface_strict: z.boolean(),
    writable_paths: z.array(protectedPath),
    writable_agent_config: z.boolean(),
    secret_paths: z.array(secretGlob),
  }),
  git: z.strictObject({
    writable_hooks: z.boolean(),
    name: oneLine.optional(),
    email: oneLine.optional(),
    seed_host_identity: z.boolean(),
    readonly: z.boolean(),
    strip_attribution: z.boolean(),
    strip_attribution_patterns: z.array(oneLine),
    protected_branches: z.array(branchName),
  }),
  ssh: z.strictObject({
    forward_agent: z.boolean(),
  }),
  timezone: z.strictObject({
    mode: z.enum(['host', 'fixed', 'utc']),
    name: timezoneName.optional(),
  }),
  mounts: z.strictObject({
    default: z.array(mountSchema),
  }),
  sockets: z.array(socketSchema),
  credentials: z.array(credentialSchema),
  /** Container ports published on the host (trusted files only). */
  ports: portsSchema,
});

export type Config = z.infer<typeof configSchema>;
export type Mount = z.infer<typeof mountSchema>;
export type SocketForward = z.infer<typeof socketSchema>;
export type CredentialBundle = z.infer<typeof credentialSchema>;
export type NetworkHost = z.infer<typeof hostEntrySchema>;
export type InjectRuleConfig = z.infer<typeof injectRuleSchema>;

/** Environment maps: merged key by key across layers, where "" removes the key. */
export const MAP_KEYS = ['defaults.environment', 'defaults.env_commands'] as const;
/** Lists that accumulate across layers instead of being replaced. */
export const UNION_KEYS = ['security.additional_protected_paths', 'security.secret_paths'] as const;

type Section = z.ZodType;

/** The same tree with every table field optional (arrays and maps are taken whole). */
function partialTree(schema: Section): Section {
  if (schema instanceof z.ZodOptional) return partialTree(schema.unwrap() as Section).optional();
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(
      Object.entries(schema.shape as Record<string, Section>).map(([key, value]) => [
        key,
        partialTree(value).optional(),
      ]),
    );
    return z.strictObject(shape);
  }
  return schema;
}

const partialConfig = partialTree(configSchema) as z.ZodObject;
const partialDefaults = (partialConfig.shape.defaults as z.ZodOptional<z.ZodObject>).unwrap();

/**
 * One config file. `[defaults] image/persistent` are accepted as older spellings of
 * `[container] image/persistent` and folded into them while loading.
 */
const layerObject = partialConfig.extend({
  defaults: partialDefaults
    .extend({ image: z.string().min(1).optional(), persistent: z.boolean().optional() })
    .optional(),
});

const profileObject = layerObject.extend({
  inherits: z.string().regex(PROFILE_NAME, 'a profile name').optional(),
});

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A partial config as one file (or the command line) states it. */
export type ConfigLayer = DeepPartial<Config> & {
  defaults?: { image?: string; persistent?: boolean };
};
export type ProfileLayer = ConfigLayer & { inherits?: string };

// The partial schemas are built at run time, so their static types are stated here.
export const layerSchema = layerObject as unknown as z.ZodType<ConfigLayer>;
/** A profile file: a layer plus the parent it builds on. */
export const profileSchema = profileObject as unknown as z.ZodType<ProfileLayer>;
/** What the CLI passes for flags that set config keys. */
export type ConfigOverrides = DeepPartial<Config>;

/** The table schema at a key path below `root` (array indexes step into the element), if any. */
export function tableAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let node: Section = root;
  for (const segment of path) {
    node = unwrap(node);
    if (node instanceof z.ZodArray && typeof segment === 'number') node = node.element as Section;
    else if (node instanceof z.ZodObject && typeof segment === 'string') {
      const next = (node.shape as Record<string, Section>)[segment];
      if (!next) return undefined;
      node = next;
    } else return undefined;
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? node : undefined;
}

/** Every key path below `root`, tables included (`network`, `network.mode`, `mounts.default`, …). */
export function knownKeyPaths(root: z.ZodType): string[] {
  const paths: string[] = [];
  const walk = (table: z.ZodObject, prefix: string) => {
    for (const [key, value] of Object.entries(table.shape as Record<string, Section>)) {
      const path = prefix ? `${prefix}.${key}` : key;
      paths.push(path);
      const inner = unwrap(value);
      if (inner instanceof z.ZodObject) walk(inner, path);
    }
  };
  const table = tableAt(root, []);
  if (table) walk(table, '');
  return paths;
}

function unwrap(schema: Section): Section {
  let node = schema;
  while (node instanceof z.ZodOptional || node instanceof z.ZodDefault) {
    node = node.unwrap() as Section;
  }
  return node;
}
