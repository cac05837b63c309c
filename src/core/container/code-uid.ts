import type { IncusApi } from '../../incus/index.js';

/** What looking up the code user's uid uses of Incus. */
export interface CodeUidIncus {
  exec: Pick<IncusApi['exec'], 'run'>;
}

/** Where `id` cannot tell (the image's code user). */
const IMAGE_CODE_UID = 1000;

/** The code user's uid in a running container (it may be remapped to the workspace owner). */
export async function codeUidOf(
  incus: CodeUidIncus,
  container: { name: string; codeUser: string },
): Promise<number> {
  const result = await incus.exec.run(container.name, ['id', '-u', container.codeUser]);
  const out = result.stdout.toString().trim();
  // An empty output must not read as uid 0 (Number('') is 0).
  return result.exitCode === 0 && /^\d+$/.test(out) ? Number(out) : IMAGE_CODE_UID;
}
