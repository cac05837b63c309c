import xterm from '@xterm/headless';
import { EventEmitter } from 'node:events';

/**
 * A stdout that feeds a headless xterm, so a test reads what a real terminal would show after
 * every escape sequence Ink and the hot-region writer sent (cursor moves and saves included).
 */
export class TerminalScreen extends EventEmitter {
  readonly isTTY = true;
  readonly term: xterm.Terminal;
  writes: string[] = [];
  private pending: Promise<void> = Promise.resolve();
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
    // convertEol: the tty driver turns Ink's "\n" into CR LF (ONLCR) before a real terminal sees it.
    this.term = new xterm.Terminal({
      cols: columns,
      rows,
      allowProposedApi: true,
      convertEol: true,
    });
  }
  write = (chunk: string): boolean => {
    this.writes.push(chunk);
    this.pending = this.pending.then(() => new Promise((r) => this.term.write(chunk, r)));
    return true;
  };
  /**
   * Resolves once nothing was written for `quietMs` (and at least one write came): on a loaded
   * machine Ink's first frame can land after a few event-loop turns.
   */
  async quiet(quietMs = 40, deadlineMs = 10_000): Promise<void> {
    const end = Date.now() + deadlineMs;
    let seen = -1;
    while (Date.now() < end && (this.writes.length === 0 || this.writes.length !== seen)) {
      seen = this.writes.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }
  /** The screen's text, one string per row, trailing blanks cut. */
  async text(): Promise<string[]> {
    await this.pending;
    const buffer = this.term.buffer.active;
    return Array.from({ length: this.rows }, (_, y) =>
      (buffer.getLine(y)?.translateToString(true) ?? '').trimEnd(),
    );
  }
}

/**
 * Both screens' text once each went quiet and they agree, or as they are at the deadline: under
 * load one app's frame can land well after the other's, but a writer that shows something else
 * never catches up.
 */
export async function settledAlike(
  expected: TerminalScreen,
  actual: TerminalScreen,
  deadlineMs = 10_000,
): Promise<{ expected: string[]; actual: string[] }> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    await Promise.all([expected.quiet(), actual.quiet()]);
    const texts = { expected: await expected.text(), actual: await actual.text() };
    if (JSON.stringify(texts.expected) === JSON.stringify(texts.actual) || Date.now() > end)
      return texts;
  }
}
