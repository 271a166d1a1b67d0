import type { DeletedObject, ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { VectorStore } from '../types.js';
import { Collection, type ListQuery } from './resource.js';

type Open = { [field: string]: unknown };
type VectorStoreFile = { id: string; object: 'vector_store.file'; status: string } & Open;
type FileBatch = { id: string; object: 'vector_store.file_batch'; status: string } & Open;

/** /v1/vector_stores, their files and file batches. */
export class VectorStores extends Collection<VectorStore> {
  protected readonly path = '/v1/vector_stores';

  create(
    params: { name?: string; file_ids?: string[] } & Open = {},
    options?: RequestOptions,
  ): Promise<VectorStore> {
    return this.post(this.path, params, options);
  }
  update(id: string, params: Open, options?: RequestOptions): Promise<VectorStore> {
    return this.post(this.pathOf(id), params, options);
  }
  addFile(
    id: string,
    params: { file_id: string } & Open,
    options?: RequestOptions,
  ): Promise<VectorStoreFile> {
    return this.post(`/v1/vector_stores/${seg(id)}/files`, params, options);
  }
  listFiles(
    id: string,
    query: ListQuery & { filter?: string } = {},
    options?: RequestOptions,
  ): Promise<ListPage<VectorStoreFile>> {
    return this.get(`/v1/vector_stores/${seg(id)}/files`, query, options);
  }
  retrieveFile(id: string, fileId: string, options?: RequestOptions): Promise<VectorStoreFile> {
    return this.get(`/v1/vector_stores/${seg(id)}/files/${seg(fileId)}`, undefined, options);
  }
  removeFile(id: string, fileId: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(`/v1/vector_stores/${seg(id)}/files/${seg(fileId)}`, undefined, options);
  }
  search(
    id: string,
    params: { query: string | string[] } & Open,
    options?: RequestOptions,
  ): Promise<ListPage<Open & { file_id: string; score: number }>> {
    return this.post(`/v1/vector_stores/${seg(id)}/search`, params, options);
  }
  createFileBatch(
    id: string,
    params: { file_ids: string[] } & Open,
    options?: RequestOptions,
  ): Promise<FileBatch> {
    return this.post(`/v1/vector_stores/${seg(id)}/file_batches`, params, options);
  }
  retrieveFileBatch(id: string, batchId: string, options?: RequestOptions): Promise<FileBatch> {
    return this.get(`/v1/vector_stores/${seg(id)}/file_batches/${seg(batchId)}`, undefined, options);
  }
  cancelFileBatch(id: string, batchId: string, options?: RequestOptions): Promise<FileBatch> {
    return this.post(`/v1/vector_stores/${seg(id)}/file_batches/${seg(batchId)}/cancel`, undefined, options);
  }
  listFileBatchFiles(
    id: string,
    batchId: string,
    query: ListQuery = {},
    options?: RequestOptions,
  ): Promise<ListPage<VectorStoreFile>> {
    return this.get(`/v1/vector_stores/${seg(id)}/file_batches/${seg(batchId)}/files`, query, options);
  }
}
