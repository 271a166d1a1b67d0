export type { DeletedObject, ErrorBody, ListPage, PageQuery, SortOrder } from './api.js';
export type {
  ApprovalRequestItem,
  ApprovalResponseItem,
  ContentPart,
  FunctionCallItem,
  FunctionCallOutputItem,
  InputTextPart,
  Item,
  ItemStatus,
  ItemType,
  MessageItem,
  MessageRole,
  OutputTextPart,
  RefusalPart,
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
} from './model.js';
export type { Principal, Role } from './principal.js';
export type {
  IncompleteReason,
  OutputItem,
  ReasoningItem,
  ResponseError,
  ResponseEvent,
  ResponseEventBody,
  ResponseEventType,
  ResponseObject,
  ResponseStatus,
  ResponseUsage,
} from './response.js';
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
