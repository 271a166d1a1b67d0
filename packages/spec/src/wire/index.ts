// The wire schemas of agentd's HTTP API (zod): one place, read by the server's validation, the
// OpenAPI document generated from its routes, and the SDK's types (ADR-0038). This entry point
// (`@agentd/spec/wire`) is the only part of @agentd/spec with a runtime dependency (zod); the main
// entry stays dependency-free.
export {
  AGENT_NAME_PATTERN,
  type Agent,
  type AgentDefinition,
  AgentDefinitionSchema,
  AgentSchema,
  type AgentVersion,
  AgentVersionSchema,
  type CreateAgentInput,
  CreateAgentSchema,
  ModelSettingsSchema,
  ToolChoiceSchema,
  ToolReferenceSchema,
  type UpdateAgentInput,
  UpdateAgentSchema,
} from './agents.js';
export { ApiKeySchema, CreateApiKeySchema, CreatedApiKeySchema, RoleSchema } from './api-keys.js';
export {
  AuditEventSchema,
  AuditExportQuerySchema,
  AuditQuerySchema,
  ChainVerificationSchema,
} from './audit.js';
export {
  AuthTokenSchema,
  CreateAuthTokenSchema,
  OidcCodeExchangeSchema,
  OidcLoginProviderSchema,
  OidcLoginQuerySchema,
} from './auth-tokens.js';
export {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  ChatCompletionSchema,
  type ChatFunctionTool,
  type ChatMessage,
  ChatMessageSchema,
  type ChatResponseFormat,
} from './chat.js';
export {
  DeletedSchema,
  ErrorSchema,
  IdParamSchema,
  listSchema,
  MAX_ID_LENGTH,
  MetadataSchema,
  PageQuerySchema,
  PRINTABLE_PATTERN,
  pathIdSchema,
  printableString,
} from './common.js';
export {
  AddItemsSchema,
  type Conversation,
  ConversationSchema,
  CreateConversationSchema,
  UpdateConversationSchema,
} from './conversations.js';
export {
  FILE_PURPOSES,
  FileContentQuerySchema,
  FileListQuerySchema,
  FileSchema,
  UPLOAD_PURPOSES,
} from './files.js';
export {
  type ClaimMapping,
  ClaimMappingSchema,
  type IdentityProvider,
  IdentityProviderSchema,
  type PutIdentityProvider,
  PutIdentityProviderSchema,
} from './identity-providers.js';
export { type InputItem, InputItemSchema, ItemSchema } from './items.js';
export {
  type Budget,
  type LimitSettings,
  LimitSettingsSchema,
  LimitsSchema,
  type Rate,
  type ToolQuota,
} from './limits.js';
export { type LogLevel, type LogTailQuery, LogTailQuerySchema } from './logs.js';
export { MCP_SESSION_HEADER, McpBodySchema, McpMessageSchema, McpSessionHeadersSchema } from './mcp.js';
export {
  CreateMemorySchema,
  MemoryConsentSchema,
  MemoryDeleteQuerySchema,
  MemoryErasedSchema,
  MemoryListQuerySchema,
  MemorySchema,
  MemoryUserQuerySchema,
  MemoryUserSchema,
  SetMemoryConsentSchema,
} from './memories.js';
export { ModelListSchema, ModelSchema } from './models.js';
export { CreateModerationSchema, ModerationSchema } from './moderations.js';
export { NetworkPolicySchema, NetworkRulesSchema } from './network-policy.js';
export { allPermissions, isAllowed, type Permission, ROLE_RANK } from './permissions.js';
export {
  CreatePolicySchema,
  POLICY_ACTIONS,
  type PolicyAction,
  PolicySchema,
  PolicySchemaDocument,
  PolicyValidationSchema,
  PolicyVersionSchema,
  ValidatePolicySchema,
} from './policies.js';
export { StatusSchema } from './probes.js';
export {
  type CreateResponseInput,
  CreateResponseSchema,
  EndpointSchema,
  FunctionToolSchema,
  ResponseObjectSchema,
} from './responses.js';
export {
  type RuleActions,
  type SafetyPhaseName,
  SafetyPolicySchema,
  type SafetySetting,
  SafetySettingSchema,
  type SafetySurfaceSetting,
} from './safety-setting.js';
export { isKnownScope, knownScopes, SCOPE_LEVELS, scopeCovers, scopesAllow, scopesWithin } from './scopes.js';
export { ScopesSchema } from './scopes-schema.js';
export { SecretSchema } from './secrets.js';
export { TenantSchema } from './tenants.js';
export { ToolManifestBodySchema, ToolSchema } from './tools.js';
export {
  USAGE_GROUPS,
  UsageBucketSchema,
  type UsageGroup,
  UsageQuerySchema,
  UsageReportSchema,
} from './usage.js';
export {
  AttributesSchema,
  ChunkingStrategySchema,
  FileCountsSchema,
  VectorStoreFileSchema,
  VectorStoreSchema,
} from './vector-stores.js';
