const BEGIN = '<!-- coi:sandbox-context:begin -->';
const END = '<!-- coi:sandbox-context:end -->';

/** Puts coi's block into a markdown file, replacing an earlier one and keeping everything else. */
export function withManagedBlock(existing: string | undefined, block: string): string {
  const managed = `${BEGIN}\n${block.trimEnd()}\n${END}\n`;
  if (!existing) return managed;
  const start = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  if (start >= 0 && end > start) {
    return existing.slice(0, start) + managed + existing.slice(end + END.length).replace(/^\n/, '');
  }
  return `${existing.trimEnd()}\n\n${managed}`;
}
