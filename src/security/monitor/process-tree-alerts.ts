const MAX_REMEMBERED = 4096;

/**
 * Which processes raised which command-line alert, so a child doing what its parent's command
 * line already said (`sh -c "grep -r KEY /"` then `grep -r KEY /`) is one action, one alert.
 */
export class ProcessTreeAlerts {
  private readonly titles = new Map<number, Set<string>>();

  /**
   * Records that `pid` raised `title`; true when its parent had raised the same title (the caller
   * then folds it). A grandchild folds too, since the child is recorded either way.
   */
  sameAsParent(pid: number, ppid: number, title: string): boolean {
    const inherited = this.titles.get(ppid)?.has(title) ?? false;
    if (this.titles.size >= MAX_REMEMBERED) this.titles.clear();
    const own = this.titles.get(pid) ?? new Set<string>();
    own.add(title);
    this.titles.set(pid, own);
    return inherited;
  }
}
