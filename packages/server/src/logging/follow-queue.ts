/**
 * The lines waiting to be sent to one follower of the log tail, bounded: a
 * reader slower than the logs would otherwise make the server hold every
 * line it has not read. Past `maxChars` queued, the follower is dropped (the
 * queue is emptied and closed, `overflowed` set) and told so.
 */
export class FollowQueue {
  private lines: string[] = [];
  private chars = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  /** Set when the queue was dropped for holding too much. */
  overflowed = false;

  constructor(readonly maxChars: number) {}

  push(line: string): void {
    if (this.closed) return;
    this.chars += line.length;
    if (this.chars > this.maxChars) {
      this.overflowed = true;
      this.lines = [];
      this.close();
      return;
    }
    this.lines.push(line);
    this.wake?.();
  }

  /** Ends the queue (the client went, or it overflowed): next() answers undefined from now on. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** The next line, once there is one; undefined once closed. */
  async next(): Promise<string | undefined> {
    while (!this.closed) {
      const line = this.lines.shift();
      if (line !== undefined) {
        this.chars -= line.length;
        return line;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    return undefined;
  }
}
