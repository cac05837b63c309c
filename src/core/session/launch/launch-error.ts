/** A launch refused or failed for a reason the user can act on (exit 1). */
export class LaunchError extends Error {
  readonly exitCode = 1;
}
