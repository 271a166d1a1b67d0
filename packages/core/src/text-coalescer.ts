/**
 * Gathers streamed deltas and hands them on in frames of about `intervalMs`,
 * so a fast model does not cost one event per token.
 */
export class DeltaCoalescer {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (delta: string) => void,
  ) {}

  push(delta: string): void {
    if (delta === '') return;
    this.pending += delta;
    if (this.intervalMs <= 0) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    const delta = this.pending;
    this.pending = '';
    this.emit(delta);
  }
}
