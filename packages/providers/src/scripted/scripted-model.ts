import {
  type LanguageModel,
  type ModelMessage,
  type ModelRequest,
  type ModelStreamPart,
  type ModelToolCall,
  unwrapData,
} from '@agentd/spec';
import { CALL_EXAMPLE, callCommand } from './call-command.js';
import { formatAnswer } from './schema-instance.js';

/**
 * A rule that turns a plain request into a tool call, e.g. "run python: ..." →
 * code_interpreter. A rule applies only when its tool is available to the run.
 */
export interface ScriptedRule {
  tool: string;
  /** Shown in the stand-in's help text, e.g. `run python: print(1)`. */
  example: string;
  /** The tool arguments for this user text, or undefined when the rule does not apply. */
  match(text: string): Record<string, unknown> | undefined;
  /** How a user enables the tool, when naming it in `tools` is not the way (memory tools). */
  enable?: string;
}

export interface ScriptedModelOptions {
  /** Why a rule's tool cannot be had on this server (turned off, not installed); undefined when it can. */
  unavailable?: (tool: string) => string | undefined;
}

export const SCRIPTED_MODEL_NAME = 'scripted';

const STAND_IN_NOTICE =
  "I am agentd's scripted model: a deterministic stand-in, not a language model. " +
  'To use a real model, set OPENAI_BASE_URL and OPENAI_API_KEY (and AGENTD_DEFAULT_MODEL) and restart agentd.';

/**
 * The model that runs when none is configured. Deterministic: the same
 * messages give the same stream. It drives tools from plain requests through
 * its rules and reports tool results back verbatim (a result marked as data
 * in the prompt is reported without its markers).
 */
export function createScriptedModel(
  rules: readonly ScriptedRule[] = [],
  options: ScriptedModelOptions = {},
): LanguageModel {
  return {
    provider: 'scripted',
    async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamPart> {
      signal?.throwIfAborted();
      const inputTokens = request.messages.reduce(
        (sum, message) => sum + Math.ceil(message.content.length / 4) + 4,
        0,
      );
      const last = request.messages.at(-1);
      const available = new Set(request.tools.map((tool) => tool.name));
      let refusal: string | undefined;
      if (last?.role === 'user' && request.toolChoice !== 'none') {
        const text = last.content.trim();
        const command = callCommand(text, [...available], options.unavailable);
        const matched =
          command?.kind === 'call'
            ? { name: command.name, arguments: command.arguments }
            : command
              ? undefined
              : firstRuleCall(rules, available, text);
        if (command?.kind === 'refusal') refusal = command.text;
        if (matched) {
          const call: ModelToolCall = { id: `call_scripted_${request.messages.length}`, ...matched };
          yield { type: 'tool-call-start', index: 0, id: call.id, name: call.name };
          yield { type: 'tool-call-delta', index: 0, delta: call.arguments };
          yield { type: 'tool-call', index: 0, call };
          yield { type: 'usage', usage: { inputTokens, outputTokens: Math.ceil(call.arguments.length / 4) } };
          yield { type: 'finish', reason: 'tool-calls' };
          return;
        }
      }
      const text = formatAnswer(
        request.textFormat,
        refusal ?? reply(request.messages, rules, available, options),
      );
      for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
        signal?.throwIfAborted();
        yield { type: 'text-delta', delta: piece };
      }
      yield { type: 'usage', usage: { inputTokens, outputTokens: Math.ceil(text.length / 4) } };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

function reply(
  messages: ModelMessage[],
  rules: readonly ScriptedRule[],
  available: Set<string>,
  options: ScriptedModelOptions,
): string {
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    const results = trailingToolResults(messages);
    return results.map(({ name, content }) => `${name} returned:\n${clip(content, 4000)}`).join('\n\n');
  }
  const said = last?.role === 'user' ? ` You said: "${clip(last.content, 500)}".` : '';
  const usable = rules.filter((rule) => available.has(rule.tool));
  const help =
    usable.length > 0
      ? ` I can drive these tools from plain requests: ${usable.map((rule) => `"${rule.example}"`).join(', ')}.`
      : '';
  const callHelp =
    available.size > 0
      ? ` I can call any of this run's tools (${[...available].join(', ')}) by name: "${CALL_EXAMPLE}".`
      : '';
  // A request a rule knows, for a tool the run did not enable: say how to enable it, or why it cannot be.
  const wanted =
    last?.role === 'user'
      ? rules.find((rule) => !available.has(rule.tool) && rule.match(last.content.trim()) !== undefined)
      : undefined;
  return `${STAND_IN_NOTICE}${said}${help}${callHelp}${wanted ? ` ${howToEnable(wanted, options)}` : ''}`;
}

/** The call of the first rule that matches the text, among the run's tools. */
function firstRuleCall(
  rules: readonly ScriptedRule[],
  available: Set<string>,
  text: string,
): { name: string; arguments: string } | undefined {
  for (const rule of rules) {
    if (!available.has(rule.tool)) continue;
    const args = rule.match(text);
    if (args !== undefined) return { name: rule.tool, arguments: JSON.stringify(args) };
  }
  return undefined;
}

function howToEnable(rule: ScriptedRule, options: ScriptedModelOptions): string {
  const why = options.unavailable?.(rule.tool);
  if (why) return `That needs the ${rule.tool} tool, which is not available: ${why}.`;
  return `To do that, enable the ${rule.tool} tool: ${rule.enable ?? `add "tools": ["${rule.tool}"] to the request or the agent`}.`;
}

function trailingToolResults(messages: ModelMessage[]): { name: string; content: string }[] {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
  }
  const results: { name: string; content: string }[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'tool') break;
    results.unshift({
      name: names.get(message.toolCallId) ?? 'the tool',
      content: unwrapData(message.content),
    });
  }
  return results;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
