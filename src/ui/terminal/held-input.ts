/**
 * Keyboard input on its way to a program: sent at once, or, while held (the container is
 * frozen), kept in order and sent in one piece on release.
 */
export class HeldInput {
  private held: string[] | undefined;

  constructor(private readonly send: (bytes: string) => void) {}

  write(bytes: string): void {
    if (this.held) this.held.push(bytes);
    else this.send(bytes);
  }

  hold(on: boolean): void {
    if (on) {
      this.held ??= [];
      return;
    }
    const held = this.held;
    this.held = undefined;
    if (held && held.length > 0) this.send(held.join(''));
  }

  get holding(): boolean {
    return this.held !== undefined;
  }

  /** Bytes waiting for the release. */
  get heldBytes(): number {
    return this.held?.reduce((n, s) => n + s.length, 0) ?? 0;
  }
}
