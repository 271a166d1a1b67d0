import { AgentdError, type ErrorCategory } from '@agentd/spec';

/**
 * The one error class of the files package, an AgentdError whose category
 * follows from its code: the file cannot be read (a 400: the caller's file)
 * or the embeddings API failed (a 502, or a 429 when it asked to slow down).
 */

export type FilesErrorCode = 'unsupported_file' | 'extraction_failed' | 'embedding_failed';

const CATEGORY: Record<FilesErrorCode, ErrorCategory> = {
  unsupported_file: 'invalid_request',
  extraction_failed: 'invalid_request',
  embedding_failed: 'upstream',
};

export class FilesError extends AgentdError {
  declare readonly code: FilesErrorCode;

  constructor(
    code: FilesErrorCode,
    message: string,
    options: { cause?: unknown; category?: ErrorCategory } = {},
  ) {
    super(options.category ?? CATEGORY[code], code, message, { cause: options.cause });
    this.name = 'FilesError';
  }
}

/** The file is of a kind agentd cannot read text from (an image, an archive, binary data). */
export class UnsupportedFileError extends FilesError {
  /** The content type or extension the file was recognised by, e.g. `image/png` or `.docx`. */
  readonly fileType: string;

  constructor(fileType: string, message: string) {
    super('unsupported_file', message);
    this.name = 'UnsupportedFileError';
    this.fileType = fileType;
  }
}

/** The file is of a supported kind but its content could not be read (corrupt, encrypted, invalid). */
export class ExtractionError extends FilesError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('extraction_failed', message, options);
    this.name = 'ExtractionError';
  }
}

/** An embeddings API call failed; `status` is the HTTP status when there was an answer. */
export class EmbeddingError extends FilesError {
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('embedding_failed', message, {
      cause: options.cause,
      ...(options.status === 429 ? { category: 'rate_limit' as const } : {}),
    });
    this.name = 'EmbeddingError';
    this.status = options.status;
  }
}
