import type { LanguageModel, ModelRequest, ModelStreamPart } from '@agentd/spec';

export type ScriptedTurn =
  | ModelStreamPart[]
  | ((request: ModelRequest, signal?: AbortSignal) => AsyncIterable<ModelStreamPart>);

/** A model that plays back one scripted turn per call and records each request. */
export function scriptedModel(turns: ScriptedTurn[]) {
  const requests: ModelRequest[] = [];
  const model: LanguageModel = {
    provider: 'test',
    stream(request, signal) {
      requests.push(structuredClone(request));
      const turn = turns.shift();
      if (!turn) throw new Error('no scripted turn left');
      if (typeof turn === 'function') return turn(request, signal);
      return (async function* () {
        yield* turn;
      })();
    },
  };
  return { model, requests };
}

/** A turn that answers `value` in two deltas. */
export const text = (value: string, usage = { inputTokens: 10, outputTokens: 5 }): ModelStreamPart[] => [
  { type: 'text-delta', delta: value.slice(0, 3) },
  { type: 'text-delta', delta: value.slice(3) },
  { type: 'usage', usage },
  { type: 'finish', reason: 'stop' },
];

/** A turn that makes these tool calls. */
export const calls = (...list: { id: string; name: string; arguments: string }[]): ModelStreamPart[] => [
  ...list.flatMap((call, index): ModelStreamPart[] => [
    { type: 'tool-call-start', index, id: call.id, name: call.name },
    { type: 'tool-call-delta', index, delta: call.arguments },
    { type: 'tool-call', index, call },
  ]),
  { type: 'usage', usage: { inputTokens: 20, outputTokens: 8 } },
  { type: 'finish', reason: 'tool-calls' },
];
