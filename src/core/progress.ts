/** Progress of a long task with named steps, shown on a terminal or as plain lines in logs. */
export interface Progress {
  step(name: string): void;
  /** fraction in [0, 1] of the current step, with an optional short detail. */
  update(fraction: number, detail?: string): void;
  info(message: string): void;
  done(message: string): void;
}

const BAR_WIDTH = 24;

/** Draws `step [#####-----]  42% detail` in place on a TTY; prints step lines otherwise. */
export function terminalProgress(out: NodeJS.WriteStream = process.stderr): Progress {
  const tty = out.isTTY === true;
  let current = '';
  let lastDrawn = 0;
  const clear = () => {
    if (tty) out.write('\r\x1b[2K');
  };
  return {
    step(name) {
      clear();
      current = name;
      out.write(tty ? `${name}…` : `${name}…\n`);
    },
    update(fraction, detail = '') {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDrawn < 80 && fraction < 1) return;
      lastDrawn = now;
      const f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * BAR_WIDTH);
      const width = Math.max(10, (out.columns ?? 80) - current.length - BAR_WIDTH - 10);
      clear();
      out.write(
        `${current} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(f * 100)).padStart(3)}% ${detail.slice(0, width)}`,
      );
    },
    info(message) {
      clear();
      out.write(`${message}\n`);
      if (tty && current) out.write(`${current}…`);
    },
    done(message) {
      clear();
      current = '';
      out.write(`${message}\n`);
    },
  };
}
