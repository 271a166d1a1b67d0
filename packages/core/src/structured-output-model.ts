import type {
  IncompleteDetails,
  LanguageModel,
  ModelMessage,
  ModelRequest,
  ModelStreamPart,
  TextFormat,
} from '@agentd/spec';
import { checkOutput, formatProblem, type OutputProblem } from './structured-output.js';

export type JsonTextFormat = Exclude<TextFormat, { type: 'text' }>;

export interface StructuredOutputModel {
  model: LanguageModel;
  /** Set when the last turn's answer still did not match after every retry: why the run ends incomplete. */
  rejection(): IncompleteDetails | undefined;
}

/**
 * Enforces a JSON text format on every model, whether or not its API can:
 * the format is passed on in the request, and a turn that ends with an answer
 * (no tool calls) has its text held back until it validates. A mismatch goes
 * back to the model with the problems, up to `retries` times, inside the same
 * turn, so the response's output holds only the answer that was accepted
 * (as OpenAI's does, and as `responses.parse` needs). Usage adds up over the
 * attempts. Text before a tool call is released as it comes.
 */
export function structuredOutputModel(
  model: LanguageModel,
  format: JsonTextFormat,
  retries: number,
): StructuredOutputModel {
  let rejected: IncompleteDetails | undefined;
  return {
    rejection: () => rejected,
    model: {
      provider: model.provider,
      async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamPart> {
        rejected = undefined;
        let messages = request.messages;
        const usage = { inputTokens: 0, outputTokens: 0 };
        for (let attempt = 0; ; attempt++) {
          const held: ModelStreamPart[] = [];
          let text = '';
          let answering = true;
          let finish: ModelStreamPart | undefined;
          let last = { inputTokens: 0, outputTokens: 0 };
          for await (const part of model.stream({ ...request, messages, textFormat: format }, signal)) {
            if (part.type === 'usage') last = part.usage;
            else if (part.type === 'finish') finish = part;
            else if (part.type === 'text-delta' && answering) {
              held.push(part);
              text += part.delta;
            } else if (part.type === 'reasoning-delta' || !answering) yield part;
            else {
              // A tool call: this turn is not the final answer.
              answering = false;
              yield* held.splice(0);
              yield part;
            }
          }
          usage.inputTokens += last.inputTokens;
          usage.outputTokens += last.outputTokens;
          const stopped = finish?.type === 'finish' && finish.reason === 'stop';
          const check = answering && stopped ? checkOutput(format, text) : undefined;
          if (check === undefined || check.ok || attempt >= retries) {
            if (check && !check.ok) rejected = rejection(format, check.problems, attempt);
            yield* held;
            yield { type: 'usage', usage };
            if (finish) yield finish;
            return;
          }
          messages = [
            ...messages,
            { role: 'assistant', content: text },
            { role: 'user', content: feedback(format, check.problems) },
          ] satisfies ModelMessage[];
        }
      },
    },
  };
}

function formatName(format: JsonTextFormat): string {
  return format.type === 'json_schema' ? `the JSON schema '${format.name}'` : 'a JSON object';
}

/** What the model is told about a rejected answer: every problem, and what to do. */
function feedback(format: JsonTextFormat, problems: OutputProblem[]): string {
  return [
    `Your answer must be ${formatName(format)}, and it is not:`,
    ...problems.map((problem) => `- ${formatProblem(problem)}`),
    'Answer again with only the corrected JSON value, nothing before or after it.',
  ].join('\n');
}

function rejection(format: JsonTextFormat, problems: OutputProblem[], retries: number): IncompleteDetails {
  const first = problems[0] ?? { path: '', message: 'does not match' };
  const tries = retries === 0 ? '' : ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`;
  return {
    reason: 'invalid_structured_output',
    path: first.path,
    message: `The answer does not match ${formatName(format)}${tries}: ${problems.map(formatProblem).join('; ')}`,
  };
}
