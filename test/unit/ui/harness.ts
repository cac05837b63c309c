import { render, type Instance } from 'ink';
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';

/**
 * Same idea as ink-testing-library (debug-mode frames, writable stdin), but with a terminal size
 * we choose: ink-testing-library pins stdout.columns to 100 and leaves rows undefined, and Ink
 * lays out against stdout.columns, so frames wider than 100 columns come out garbled.
 */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string | undefined => this.frames.at(-1);
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface Rendered {
  stdout: FakeStdout;
  stdin: FakeStdin;
  instance: Instance;
  lastFrame: () => string | undefined;
}

const mounted: Instance[] = [];

export function renderSized(tree: ReactElement, columns: number, rows: number): Rendered {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  mounted.push(instance);
  return { stdout, stdin, instance, lastFrame: stdout.lastFrame };
}

export function cleanup(): void {
  for (const instance of mounted.splice(0)) {
    instance.unmount();
    instance.cleanup();
  }
}
