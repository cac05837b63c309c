/** Where a region's first line goes on the screen (0-based cells) and how wide its lines are. */
export interface RegionPlace {
  x: number;
  y: number;
  width: number;
}

interface Region extends RegionPlace {
  lines: readonly string[];
}

// DECSC/DECRC: Ink's log-update moves the cursor relative to where it left it.
const SAVE_CURSOR = '\x1b7';
const RESTORE_CURSOR = '\x1b8';
// Synchronized output (mode 2026), which Ink writes around a frame when the terminal is a TTY.
const SYNC_START = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';

const moveTo = (x: number, y: number) => `\x1b[${y + 1};${x + 1}H`;
const samePlace = (a: RegionPlace, b: RegionPlace) =>
  a.x === b.x && a.y === b.y && a.width === b.width;

/**
 * Writes the hot regions of the screen (the tables) itself, bypassing Ink's output step, and emits
 * only the lines that changed. Ink gets `stream` instead of stdout and renders blanks where the
 * regions are. Changes are flushed once per microtask, after React's commit: when Ink wrote a
 * frame in between (which repaints Ink's whole area, blanking the regions), every region is
 * painted again, and Ink's end-of-synchronized-output marker is held back until then so the
 * terminal shows both as one frame. Positions are absolute: Ink's frame must start at the top-left
 * cell (the control room clears the alternate screen and homes the cursor first).
 * Lines are ANSI strings exactly `width` cells wide (see segmentsToAnsi).
 */
export class HotRegionWriter {
  /** What the components want shown. */
  private readonly wanted = new Map<string, Region>();
  /** What the last flush left on the screen. */
  private painted = new Map<string, Region>();
  private inkRepainted = false;
  private heldSyncEnd = false;
  private scheduled = false;
  /** The stdout to hand Ink: every property is stdout's, except `write`. */
  readonly stream: NodeJS.WriteStream;

  constructor(private readonly out: NodeJS.WriteStream) {
    const inkWrite = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text === SYNC_END) {
        this.heldSyncEnd = true;
        this.schedule();
        return true;
      }
      if (text !== SYNC_START) {
        this.inkRepainted = true;
        this.schedule();
      }
      return (out.write as (c: string, ...r: unknown[]) => boolean)(text, ...rest);
    };
    this.stream = new Proxy(out, {
      get: (target, prop) => {
        if (prop === 'write') return inkWrite;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** Shows `lines` at `place` from the next flush on. */
  set(id: string, place: RegionPlace, lines: readonly string[]): void {
    this.wanted.set(id, { ...place, lines: [...lines] });
    this.schedule();
  }

  /** Stops drawing a region; its area is blanked unless Ink draws there. */
  remove(id: string): void {
    if (this.wanted.delete(id)) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const moves = this.inkRepainted ? this.paintAll() : this.paintChanges();
    this.painted = new Map(this.wanted);
    this.inkRepainted = false;
    let out = moves === '' ? '' : SAVE_CURSOR + moves + RESTORE_CURSOR;
    if (this.heldSyncEnd) out += SYNC_END;
    this.heldSyncEnd = false;
    if (out !== '') this.out.write(out);
  }

  private paintAll(): string {
    let out = '';
    for (const r of this.wanted.values()) out += paint(r);
    return out;
  }

  /** Blanks what moved away or went, then paints new and changed lines. */
  private paintChanges(): string {
    let blanks = '';
    let paints = '';
    for (const [id, old] of this.painted) {
      const now = this.wanted.get(id);
      if (!now || !samePlace(now, old)) blanks += blank(old, 0);
      else blanks += blank(old, now.lines.length);
    }
    for (const [id, now] of this.wanted) {
      const old = this.painted.get(id);
      paints +=
        old && samePlace(old, now) ? paint(now, (line, i) => old.lines[i] !== line) : paint(now);
    }
    return blanks + paints;
  }
}

function paint(r: Region, changed: (line: string, i: number) => boolean = () => true): string {
  let out = '';
  r.lines.forEach((line, i) => {
    if (changed(line, i)) out += moveTo(r.x, r.y + i) + line;
  });
  return out;
}

/** Blanks a region's lines from `from` on. */
function blank(r: Region, from: number): string {
  let out = '';
  for (let i = from; i < r.lines.length; i++) out += moveTo(r.x, r.y + i) + ' '.repeat(r.width);
  return out;
}
