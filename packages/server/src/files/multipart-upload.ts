import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { AgentdError } from '../errors.js';

export interface UploadPart {
  filename: string;
  contentType: string | undefined;
  body: Readable;
  /** The form's other fields, once the whole form has been read. */
  fields: Promise<Record<string, string>>;
}

const badForm = (message: string, param: string | null = null) =>
  new AgentdError('invalid_request', 'invalid_upload', message, { param });

/**
 * Reads a multipart/form-data request as a stream: resolves with the `file`
 * part as soon as it starts, so its bytes go straight to storage, while the
 * other fields (which may come before or after it) arrive in `fields`.
 */
export function readUpload(request: Request): Promise<UploadPart> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    return Promise.reject(
      new AgentdError(
        'unsupported_media_type',
        'unsupported_media_type',
        'Upload a file as multipart/form-data with a `file` part and a `purpose` field.',
      ),
    );
  }
  if (!request.body) return Promise.reject(badForm('The request has no body.', 'file'));
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // Browsers and the OpenAI SDKs write a file name's UTF-8 bytes as is; busboy would read them as latin1.
      defParamCharset: 'utf8',
      limits: { files: 1, fields: 20, fieldSize: 4096, parts: 30 },
    });
  } catch (error) {
    return Promise.reject(badForm(`The multipart form is not valid: ${(error as Error).message}.`));
  }
  const fields: Record<string, string> = {};
  return new Promise<UploadPart>((resolve, reject) => {
    let sawFile = false;
    let settleFields: { resolve: (value: Record<string, string>) => void; reject: (error: Error) => void };
    const fieldsDone = new Promise<Record<string, string>>((resolveFields, rejectFields) => {
      settleFields = { resolve: resolveFields, reject: rejectFields };
    });
    fieldsDone.catch(() => undefined);
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        parser.emit('error', badForm(`The form field '${name}' is too long.`, name));
        return;
      }
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || sawFile) {
        stream.resume();
        return;
      }
      sawFile = true;
      resolve({
        filename: info.filename || 'upload',
        contentType:
          info.mimeType && info.mimeType !== 'application/octet-stream' ? info.mimeType : undefined,
        body: stream,
        fields: fieldsDone,
      });
    });
    parser.on('filesLimit', () => parser.emit('error', badForm('Upload one file per request.', 'file')));
    parser.on('error', (error: Error) => {
      const failure =
        error instanceof AgentdError ? error : badForm(`The upload could not be read: ${error.message}.`);
      settleFields.reject(failure);
      reject(failure);
    });
    parser.on('close', () => {
      settleFields.resolve(fields);
      if (!sawFile) reject(badForm('The form has no `file` part.', 'file'));
    });
    const source = Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>);
    source.on('error', (error) => parser.emit('error', error));
    source.pipe(parser);
  });
}
