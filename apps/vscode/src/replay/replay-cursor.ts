import type { Replay, ReplayStep } from './replay-model.js';

/** Where the reader is in a replay; moving past either end stays at the end. */
export class ReplayCursor {
  private position = 0;

  constructor(readonly replay: Replay) {}

  get index(): number {
    return this.position;
  }

  get step(): ReplayStep {
    return this.replay.steps[this.position]!;
  }

  next(): ReplayStep {
    return this.go(this.position + 1);
  }

  previous(): ReplayStep {
    return this.go(this.position - 1);
  }

  go(index: number): ReplayStep {
    this.position = Math.max(0, Math.min(this.replay.steps.length - 1, index));
    return this.step;
  }
}
