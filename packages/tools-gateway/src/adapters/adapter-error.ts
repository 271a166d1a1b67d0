/**
 * The one error class of the adapters. `code` is stable and machine readable;
 * `category` says whose fault it is: the manifest or its caller (`user`), this
 * server (`system`) or the tool's endpoint or server (`third_party`).
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

export type AdapterErrorCategory = 'user' | 'system' | 'third_party';

const CATEGORY: Record<AdapterErrorCode, AdapterErrorCategory> = {
  secret_missing: 'user',
  document_invalid: 'user',
  unknown_tool: 'user',
  bad_arguments: 'user',
  client_side: 'user',
  not_configured: 'system',
  request_failed: 'third_party',
  server_unavailable: 'third_party',
  blocked_by_policy: 'user',
};

export class AdapterError extends Error {
  readonly code: AdapterErrorCode;
  readonly category: AdapterErrorCategory;

  constructor(code: AdapterErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AdapterError';
    this.code = code;
    this.category = CATEGORY[code];
  }
}
