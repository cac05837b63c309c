/**
 * Whether `exe` (a path inside the container) is one of `names` installed in a system directory
 * (/usr/bin, /sbin, /usr/lib/…): a copy under another name or in /tmp is not. Unanchored: the
 * host may show the path under the container's rootfs.
 */
export function isSystemProgram(exe: string, names: ReadonlySet<string>): boolean {
  const slash = exe.lastIndexOf('/');
  return names.has(exe.slice(slash + 1)) && /(?:^|\/)(?:usr\/)?(?:s?bin|lib(?:exec)?)\//.test(exe);
}
