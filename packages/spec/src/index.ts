export type { DeletedObject, ErrorBody, ListPage, PageQuery, SortOrder } from './api.js';
export type { Artifact, ArtifactStore } from './artifacts.js';
export {
  type BackoffOptions,
  backoffDelay,
  parseRetryAfter,
  retryAfterOf,
  sleep,
} from './backoff.js';
export type { EmbeddingCache, EmbeddingProvider, EmbedOptions } from './embeddings.js';
export { AgentdError, type AgentdErrorOptions, type ErrorCategory } from './errors.js';
export type { ByteReader, HttpAnswer, HttpPost, HttpPostInit } from './http-post.js';
export type {
  ApprovalRequestItem,
  ApprovalResponseItem,
  BuiltinImageOutput,
  BuiltinToolItem,
  CitationAnnotation,
  CodeInterpreterCallItem,
  CodeInterpreterCallStatus,
  CodeInterpreterFileOutput,
  CodeInterpreterLogsOutput,
  CodeInterpreterOutput,
  ContentPart,
  FileCitationAnnotation,
  FileSearchCallItem,
  FileSearchCallStatus,
  FileSearchResultEntry,
  FunctionCallItem,
  FunctionCallOutputItem,
  InputTextPart,
  Item,
  ItemStatus,
  ItemType,
  MessageItem,
  MessageRole,
  OutputTextAnnotation,
  OutputTextPart,
  RefusalPart,
  UrlCitationAnnotation,
  WebSearchAction,
  WebSearchCallItem,
  WebSearchCallStatus,
  WebSearchSource,
} from './items.js';
export type {
  FinishReason,
  LanguageModel,
  ModelMessage,
  ModelRequest,
  ModelSettings,
  ModelStreamPart,
  ModelToolCall,
  ModelToolChoice,
  ModelToolDefinition,
  ModelUsage,
  TextFormat,
  TokenLogprob,
} from './model.js';
export type { Principal, Role } from './principal.js';
export type {
  IncompleteDetails,
  IncompleteReason,
  OutputItem,
  ReasoningItem,
  ReasoningTextPart,
  ResponseError,
  ResponseEvent,
  ResponseEventBody,
  ResponseEventType,
  ResponseObject,
  ResponseStatus,
  ResponseUsage,
} from './response.js';
export type {
  EnqueueOptions,
  RunCancels,
  RunClaim,
  RunConsumer,
  RunConsumerOptions,
  RunEventBus,
  RunEventListener,
  RunHandler,
  RunJob,
  RunLease,
  RunOutcome,
  RunQueue,
} from './runtime.js';
export type {
  SafetyAction,
  SafetyCategory,
  SafetyContext,
  SafetyInput,
  SafetyPhase,
  SafetyResult,
  SafetySpan,
  SafetySurface,
  SafetyVerdict,
} from './safety.js';
export {
  SANDBOX_DATA_DIR,
  type Sandbox,
  type SandboxError,
  type SandboxFile,
  type SandboxImage,
  type SandboxInputFile,
  type SandboxRequest,
  type SandboxResult,
  type SandboxStatus,
} from './sandbox.js';
export type { SearchBackend, SearchOptions, SearchResult } from './search.js';
export { encloseAsData, unwrapData, wrapUntrusted } from './spotlight.js';
export {
  createSseParser,
  type ReadSseOptions,
  readSse,
  type SseMessage,
  type SseParser,
  type SseParserOptions,
} from './sse.js';
export type {
  AdapterHealth,
  AdapterTool,
  RunTool,
  StartToolItem,
  ToolAdapter,
  ToolContext,
  ToolItemFinish,
  ToolItemHandle,
  ToolReport,
  ToolResult,
  ToolScope,
} from './tool.js';
export type {
  AdapterConfig,
  BuiltinAdapterConfig,
  ClientAdapterConfig,
  HttpAdapterConfig,
  JsonSchema,
  McpAdapterConfig,
  OpenApiAdapterConfig,
  ToolCapability,
  ToolManifest,
} from './tool-manifest.js';
