import type { ResponseStatus } from '@agentd/spec';

/** queued → in_progress → completed | failed | cancelled | incomplete. Terminal states are final. */
const NEXT: Record<ResponseStatus, readonly ResponseStatus[]> = {
  queued: ['in_progress', 'cancelled', 'failed'],
  in_progress: ['completed', 'failed', 'cancelled', 'incomplete'],
  completed: [],
  failed: [],
  cancelled: [],
  incomplete: [],
};

export function isTerminal(status: ResponseStatus): boolean {
  return NEXT[status].length === 0;
}

export function canTransition(from: ResponseStatus, to: ResponseStatus): boolean {
  return NEXT[from].includes(to);
}

/** The pure transition function: the next status, or an error naming the illegal move. */
export function transition(from: ResponseStatus, to: ResponseStatus): ResponseStatus {
  if (!canTransition(from, to)) throw new Error(`illegal run transition ${from} → ${to}`);
  return to;
}
