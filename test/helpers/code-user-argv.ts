/** An exec's argv without codeUserExec's setpriv prefix, and the uid it becomes (if it does). */
export function unwrapCodeUser(argv: string[]): { argv: string[]; uid?: number } {
  if (argv[0] !== 'setpriv') return { argv };
  const reuid = argv.find((a) => a.startsWith('--reuid='));
  return {
    argv: argv.slice(argv.indexOf('--') + 1),
    ...(reuid ? { uid: Number(reuid.slice('--reuid='.length)) } : {}),
  };
}
