import { type RequestOptions, seg } from '../core/transport.js';
import type { FileObject } from '../types.js';
import { Collection, type ListQuery } from './resource.js';

export interface UploadParams {
  /** The content: a Blob (a File keeps its name), or bytes or text with `filename`. */
  file: Blob | Uint8Array | string;
  filename?: string;
  purpose: string;
}

/** /v1/files. */
export class Files extends Collection<FileObject, ListQuery & { purpose?: string }> {
  protected readonly path = '/v1/files';

  create(params: UploadParams, options?: RequestOptions): Promise<FileObject> {
    const form = new FormData();
    const blob =
      params.file instanceof Blob ? params.file : new Blob([params.file as Uint8Array<ArrayBuffer> | string]);
    const name = params.filename ?? (params.file as { name?: string }).name ?? 'file';
    form.append('purpose', params.purpose);
    form.append('file', blob, name);
    return this.post(this.path, form, options);
  }
  /** The file's bytes, as a fetch Response (`.arrayBuffer()`, `.text()`, `.body`). */
  content(id: string, options: RequestOptions = {}): Promise<Response> {
    return this.transport.send({ ...options, method: 'GET', path: `/v1/files/${seg(id)}/content` });
  }
}
