import type { DeletedObject, ListPage, ToolManifest } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { RegisteredTool } from '../types.js';
import { type ListQuery, Resource } from './resource.js';

type Manifest = ToolManifest & { requires_approval?: boolean; [field: string]: unknown };

/** /v1/tools: the tenant's registered tools (HTTP, OpenAPI, MCP). */
export class Tools extends Resource {
  create(manifest: Manifest, options?: RequestOptions): Promise<RegisteredTool> {
    return this.post('/v1/tools', manifest, options);
  }
  list(query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<RegisteredTool>> {
    return this.get('/v1/tools', query, options);
  }
  /** By id, `dir:<name>` or `builtin:<name>`. */
  retrieve(idOrName: string, options?: RequestOptions): Promise<RegisteredTool> {
    return this.get(`/v1/tools/${seg(idOrName)}`, undefined, options);
  }
  update(id: string, changes: Partial<Manifest>, options?: RequestOptions): Promise<RegisteredTool> {
    return this.patch(`/v1/tools/${seg(id)}`, changes, options);
  }
  del(id: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(`/v1/tools/${seg(id)}`, undefined, options);
  }
  /** The JSON Schema of a tool manifest. */
  manifestSchema(options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.get('/v1/tools/manifest-schema', undefined, options);
  }
}
