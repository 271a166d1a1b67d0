import { codedError, type ErrorCategory } from '@agentd/spec';

/**
 * The one error class of the adapters, an AgentdError whose category follows
 * from its code: the manifest or its caller is at fault (a 4xx), this server
 * is not set up for it (`internal`), or the tool's endpoint or server failed
 * (`upstream`).
 */

export type AdapterErrorCode =
  | 'secret_missing'
  | 'document_invalid'
  | 'unknown_tool'
  | 'bad_arguments'
  | 'client_side'
  | 'not_configured'
  | 'request_failed'
  | 'server_unavailable'
  | 'blocked_by_policy';

const CATEGORY: Record<AdapterErrorCode, ErrorCategory> = {
  secret_missing: 'invalid_request',
  document_invalid: 'invalid_request',
  unknown_tool: 'not_found',
  bad_arguments: 'invalid_request',
  client_side: 'invalid_request',
  not_configured: 'internal',
  request_failed: 'upstream',
  // The tool's MCP server, not this one: a bad gateway, not a 503 of agentd's.
  server_unavailable: 'upstream',
  blocked_by_policy: 'permission',
};

export class AdapterError extends codedError('AdapterError', CATEGORY) {}
