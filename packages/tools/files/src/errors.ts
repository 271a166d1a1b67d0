/**
 * The one error class of the files package. `code` is stable and machine
 * readable; `category` says whose fault it is: the uploaded file or the
 * caller's input (`user`), this server (`system`) or the embeddings API
 * (`third_party`).
 */

export type FilesErrorCode = 'unsupported_file' | 'extraction_failed' | 'embedding_failed';

export type FilesErrorCategory = 'user' | 'system' | 'third_party';

const CATEGORY: Record<FilesErrorCode, FilesErrorCategory> = {
  unsupported_file: 'user',
  extraction_failed: 'user',
  embedding_failed: 'third_party',
};

export class FilesError extends Error {
  readonly code: FilesErrorCode;
  readonly category: FilesErrorCategory;

  constructor(code: FilesErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FilesError';
    this.code = code;
    this.category = CATEGORY[code];
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
    super('embedding_failed', message, options);
    this.name = 'EmbeddingError';
    this.status = options.status;
  }
}
