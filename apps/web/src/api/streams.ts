import type { Agentd, CreateResponseParams, ResponseStream } from '@agentd/sdk';

/** The built-in tools' results, which a stream leaves out unless asked for: the chat shows them. */
export const INCLUDE = ['file_search_call.results', 'code_interpreter_call.outputs'];

/**
 * A run's events for the chat: agentd's own events too, the built-in tools'
 * results, resumed by the SDK after a dropped connection. Aborting only stops
 * reading (leaving a conversation must not cancel its run; Stop does).
 */
export function streamRun(api: Agentd, params: CreateResponseParams, signal: AbortSignal): ResponseStream {
  return api.responses.stream(
    { ...params, include: INCLUDE },
    { signal, cancelOnAbort: false, include: INCLUDE },
  );
}

/** Picks a run's stream up after sequence number `after`: nothing missing, nothing repeated. */
export function resumeRun(api: Agentd, id: string, after: number, signal: AbortSignal): ResponseStream {
  return api.responses.resume(id, { signal, startingAfter: after, include: INCLUDE });
}
