export {
  loadConfig,
  DEFAULT_CONFIG_FILE,
  type LoadConfigOptions,
  type LoadedConfig,
} from './load.js';
export { ConfigError, formatIssue, type ConfigIssue, type ConfigWarning } from './errors.js';
export type { Origin, Origins } from './merge.js';
export type { LayerKind } from './layer.js';
export {
  listProfiles,
  MAX_PROFILE_DEPTH,
  type LoadedProfile,
  type ProfileLocation,
} from './profiles.js';
export type {
  Config,
  ConfigOverrides,
  CredentialBundle,
  Mount,
  NetworkHost,
  SocketForward,
} from './schema.js';
export { effectiveEntries, type EffectiveEntry } from './show.js';
