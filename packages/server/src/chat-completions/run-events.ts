import type { ResponseEvent } from '@agentd/spec';
import type { StoredResponse } from '../responses/response-repository.js';
import type { Services } from '../services.js';

export { isTerminalEvent } from '@agentd/runtime';

/**
 * A run's events, every one in order up to and including the terminal one,
 * wherever the run executes (see RunRuntime.follow). Ends early when
 * `signal` aborts.
 */
export function runEvents(
  services: Services,
  stored: StoredResponse,
  signal: AbortSignal,
): AsyncGenerator<ResponseEvent> {
  return services.runs.follow(stored, 0, signal);
}
