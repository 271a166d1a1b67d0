import type { TextFormat } from '@agentd/spec';
import type {
  Agent,
  ChatCompletionRequest,
  ChatMessage,
  ChatResponseFormat,
  CreateResponseInput,
  InputItem,
} from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import { AGENT_MODEL_PREFIX, modelNotFound } from '../models/model-catalog.js';
import type { Services } from '../services.js';

/**
 * A chat completion request as a create-response request: the messages become
 * input items, the client's function tools join the agent's own, and the
 * sampling fields map onto the Responses fields of the same meaning. The run
 * is then an ordinary response.
 */
export async function toResponseRequest(
  services: Services,
  tenantId: string,
  chat: ChatCompletionRequest,
): Promise<{ request: CreateResponseInput; rename: (error: unknown) => unknown }> {
  const agent = await agentOf(services, tenantId, chat.model);
  const clientTools = (chat.tools ?? []).map(({ function: fn }) => ({
    type: 'function' as const,
    name: fn.name,
    ...(fn.description === undefined ? {} : { description: fn.description }),
    ...(fn.parameters === undefined ? {} : { parameters: fn.parameters }),
    ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
  }));
  const extraTools = [...clientTools, ...(chat.web_search_options ? [{ type: 'web_search' }] : [])];
  const maxTokens = chat.max_completion_tokens ?? chat.max_tokens;
  const format = chat.response_format ? textFormat(chat.response_format) : undefined;
  const agentTools = extraTools.length > 0 ? (agent?.tools ?? []) : [];
  const request: CreateResponseInput = {
    input: toInputItems(chat.messages),
    // `model: "agent:<name>"` resolves the agent in createResponse, as for the Responses API.
    model: agent ? `${AGENT_MODEL_PREFIX}${agent.name}` : chat.model,
    // Without client tools the agent keeps its own; with them, the run has both.
    ...(extraTools.length > 0 ? { tools: [...agentTools, ...extraTools] } : {}),
    ...(chat.tool_choice === undefined ? {} : { tool_choice: toolChoice(chat.tool_choice) }),
    stream: false,
    background: false,
    ...(chat.temperature == null ? {} : { temperature: chat.temperature }),
    ...(chat.top_p == null ? {} : { top_p: chat.top_p }),
    ...(maxTokens == null ? {} : { max_output_tokens: maxTokens }),
    ...(chat.parallel_tool_calls === undefined ? {} : { parallel_tool_calls: chat.parallel_tool_calls }),
    ...(chat.reasoning_effort == null ? {} : { reasoning: { effort: chat.reasoning_effort } }),
    ...(chat.user === undefined ? {} : { user: chat.user }),
    ...(chat.metadata == null ? {} : { metadata: chat.metadata }),
    ...(chat.safety_identifier === undefined ? {} : { safety_identifier: chat.safety_identifier }),
    ...(format || chat.verbosity
      ? {
          text: {
            ...(format ? { format } : {}),
            ...(chat.verbosity ? { verbosity: chat.verbosity } : {}),
          } as CreateResponseInput['text'],
        }
      : {}),
  };
  return { request, rename: (error) => inChatTerms(error, chat, agentTools.length) };
}

/**
 * An error of the response request, naming the chat request's field: the
 * client's tools come after the agent's in the run, and `text.format` is
 * `response_format.json_schema` here.
 */
function inChatTerms(error: unknown, chat: ChatCompletionRequest, agentTools: number): unknown {
  if (!(error instanceof AgentdError) || !error.param) return error;
  let param = error.param;
  let message = error.message;
  const tool = /^tools\[(\d+)\](.*)$/.exec(param);
  if (param.startsWith('text.format')) {
    param = param.replace('text.format', 'response_format.json_schema');
    message = message.replace('text.format', 'response_format');
  } else if (tool && Number(tool[1]) >= agentTools) {
    const index = Number(tool[1]) - agentTools;
    // After the client's tools comes the web search that web_search_options asks for.
    param =
      index < (chat.tools?.length ?? 0)
        ? `tools[${index}]${tool[2] ? `.function${tool[2]}` : ''}`
        : 'web_search_options';
  } else if (param === 'max_output_tokens') {
    param = chat.max_completion_tokens == null ? 'max_tokens' : 'max_completion_tokens';
  } else {
    return error;
  }
  return new AgentdError(error.category, error.code, message, { param, cause: error });
}

/** `agent:<name>` must name an agent of the tenant: otherwise OpenAI's model_not_found. */
async function agentOf(services: Services, tenantId: string, model: string): Promise<Agent | undefined> {
  if (!model.startsWith(AGENT_MODEL_PREFIX)) return undefined;
  const ref = model.slice(AGENT_MODEL_PREFIX.length);
  const agent = ref.startsWith('agent_')
    ? await services.agents.get(tenantId, ref).catch(() => undefined)
    : await services.agents.findByName(tenantId, ref);
  if (!agent) throw modelNotFound(model);
  return agent;
}

/**
 * Chat messages as Responses input items. An assistant message's tool calls
 * become function_call items and a tool message their function_call_output;
 * a tool message must answer a call made before it.
 */
export function toInputItems(messages: readonly ChatMessage[]): InputItem[] {
  const calls = new Set<string>();
  const items = messages.flatMap((message, index) => itemsOf(message, `messages[${index}]`, calls));
  if (items.length === 0) {
    throw new AgentdError('invalid_request', 'invalid_value', 'The messages carry no content to answer.', {
      param: 'messages',
    });
  }
  return items;
}

function itemsOf(message: ChatMessage, param: string, calls: Set<string>): InputItem[] {
  switch (message.role) {
    case 'system':
    case 'developer':
      return [{ type: 'message', role: message.role, content: textOf(message.content) }];
    case 'user':
      return [{ type: 'message', role: 'user', content: userText(message.content, param) }];
    case 'assistant': {
      const items: InputItem[] = [];
      const text = assistantText(message.content);
      if (text) items.push({ type: 'message', role: 'assistant', content: text });
      if (message.refusal) {
        items.push({
          type: 'message',
          role: 'assistant',
          content: [{ type: 'refusal', refusal: message.refusal }],
        });
      }
      for (const call of message.tool_calls ?? []) {
        calls.add(call.id);
        items.push({
          type: 'function_call',
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        });
      }
      return items;
    }
    case 'tool':
      if (!calls.has(message.tool_call_id)) {
        throw new AgentdError(
          'invalid_request',
          'invalid_value',
          `A tool message must answer a tool call of an earlier assistant message; no call has the id '${message.tool_call_id}'.`,
          { param: `${param}.tool_call_id` },
        );
      }
      return [
        { type: 'function_call_output', call_id: message.tool_call_id, output: textOf(message.content) },
      ];
  }
}

function textOf(content: string | { text: string }[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

function userText(content: Extract<ChatMessage, { role: 'user' }>['content'], param: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (part.type === 'text') return (part as { text: string }).text;
      throw new AgentdError(
        'invalid_request',
        'unsupported_content',
        `agentd takes text messages only; a '${part.type}' part is not supported.`,
        { param: `${param}.content[${index}]` },
      );
    })
    .join('\n');
}

function assistantText(content: Extract<ChatMessage, { role: 'assistant' }>['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : part.refusal)).join('\n');
}

function toolChoice(choice: NonNullable<ChatCompletionRequest['tool_choice']>) {
  return typeof choice === 'string' ? choice : { type: 'function' as const, name: choice.function.name };
}

/** `response_format` in the Responses API's `text.format` shape. */
export function textFormat(format: ChatResponseFormat): TextFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, description, schema, strict } = format.json_schema;
  return {
    type: 'json_schema',
    name,
    ...(description === undefined ? {} : { description }),
    schema: schema ?? {},
    ...(typeof strict === 'boolean' ? { strict } : {}),
  };
}
