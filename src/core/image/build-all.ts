/** A profile as `coi build --all` sees it: whether it has a build, or why it does not load. */
export type ProfileBuildEntry = { name: string } & ({ hasBuild: boolean } | { error: string });

/**
 * The profiles `coi build --all` builds after coi-default, by name: every one with a
 * `[container.build]` of its own, and every one that does not load (reported as failed rather than
 * silently passed over). A profile that only uses coi-default is covered by the default build.
 */
export function profilesToBuild<T extends ProfileBuildEntry>(entries: T[]): T[] {
  return entries
    .filter((e) => 'error' in e || e.hasBuild)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export type BuildOutcome = 'built' | 'skipped' | 'failed';

/** Upstream's closing lines of `coi build --all`. */
export function summaryLines(outcomes: BuildOutcome[]): string[] {
  const count = (o: BuildOutcome) => outcomes.filter((x) => x === o).length;
  return [
    '',
    '--- Build summary ---',
    `  Built:   ${count('built')}`,
    `  Skipped: ${count('skipped')}`,
    `  Failed:  ${count('failed')}`,
  ];
}
