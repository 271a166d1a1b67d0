export { AgentdError, type ResponseEvent, type ResponseObject } from '@agentd/spec';
export {
  Agent,
  type AgentOptions,
  type AgentStream,
  type ApprovalAnswer,
  type TurnOptions,
} from './agent/agent.js';
export type {
  AgentEvent,
  ApprovalRequestAnsweredEvent,
  ClientToolCallCompletedEvent,
} from './agent/agent-events.js';
export { outputText } from './agent/output-text.js';
export {
  type FunctionTool,
  type JsonSchemaToolOptions,
  type ToolCallContext,
  type ToolOutcome,
  tool,
  type ZodToolOptions,
} from './agent/tool.js';
export { Agentd, type AgentdOptions } from './client.js';
export { backoffDelay, type RetryOptions } from './core/backoff.js';
export {
  AgentdAPIError,
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  StreamResumeError,
} from './core/errors.js';
export type { FetchLike, RequestOptions } from './core/transport.js';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionParams,
  ChatMessage,
} from './resources/chat.js';
export type { IdentityProvider, SessionToken } from './resources/identity.js';
export type { LogLine, LogTailEvent, LogTailParams } from './resources/logs.js';
export { type ListQuery, paginate } from './resources/resource.js';
export type { PollOptions, StreamOptions } from './resources/responses.js';
export { ResponseStream, type StreamControl } from './streaming/response-stream.js';
export type * from './types.js';
