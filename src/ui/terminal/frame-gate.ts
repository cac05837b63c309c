/**
 * At most one frame in flight to the UI thread: changes that come while it is still drawing the
 * previous frame are coalesced into the one sent when it says it is done. A busy UI thread gets
 * the latest screen, never a backlog of stale ones.
 */
export class FrameGate {
  private inFlight = false;
  private pending = false;

  /** `send` says whether it sent anything (a frame without a change is not sent). */
  constructor(private readonly send: () => boolean) {}

  changed(): void {
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    this.inFlight = this.send();
  }

  drawn(): void {
    this.inFlight = false;
    if (!this.pending) return;
    this.pending = false;
    this.changed();
  }

  /** Sends now whatever the UI thread holds (the last frame before an exit). */
  flush(): void {
    this.pending = false;
    this.inFlight = this.send() || this.inFlight;
  }
}
