/** The variables Ink (its `is-in-ci` dependency) reads to decide that it writes into a CI log. */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/**
 * Runs `load` (the import that first loads Ink) with CI and CONTINUOUS_INTEGRATION hidden, then
 * puts them back for the shells and agents the control room starts. Ink decides once, when
 * loaded, whether it runs in a CI log; there it writes no frame until it exits and ignores
 * resizes, so a user whose shell sets CI=true would get a room without its header, help,
 * dialogs and detail views. The room only ever runs on a terminal.
 */
export async function importInteractive<T>(load: () => Promise<T>): Promise<T> {
  const hidden = CI_VARIABLES.flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  for (const [name] of hidden) delete process.env[name];
  try {
    return await load();
  } finally {
    for (const [name, value] of hidden) process.env[name] = value;
  }
}
