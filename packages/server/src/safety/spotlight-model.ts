import { createHmac, randomBytes } from 'node:crypto';
import { encloseAsData, type LanguageModel, type ModelMessage } from '@agentd/spec';

/** Keys the markers' ids: a tool's output cannot guess them, and the same result gets the same id on every turn (prompt caches). */
const KEY = randomBytes(32);

/**
 * Spotlighting for the tools agentd runs: what the model reads of their
 * results is enclosed between markers with an id the result cannot guess,
 * after a line saying it is data. `marks` names the tools to mark: those
 * agentd executes, less those that enclose their own text (web pages,
 * files, memories). A client-side tool's result is the client's own input,
 * passed on as sent. A result cannot escape by carrying markers: they are
 * defused. Only the prompt changes: the run's items keep the tool's text.
 */
export function spotlightModel(model: LanguageModel, marks: ReadonlySet<string>): LanguageModel {
  return {
    provider: model.provider,
    stream: (request, signal) =>
      model.stream({ ...request, messages: spotlight(request.messages, marks) }, signal),
  };
}

export function spotlight(messages: readonly ModelMessage[], marks: ReadonlySet<string>): ModelMessage[] {
  const names = new Map<string, string>();
  return messages.map((message) => {
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
    if (message.role !== 'tool') return message;
    const name = names.get(message.toolCallId);
    if (name === undefined || !marks.has(name)) return message;
    return { ...message, content: enclose(message.content, name) };
  });
}

function enclose(text: string, tool: string): string {
  const id = createHmac('sha256', KEY).update(text).digest('hex').slice(0, 16);
  return encloseAsData(text, tool, id);
}
