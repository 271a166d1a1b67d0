import type { ToolManifest } from '@agentd/spec';
import type { RequestOptions } from '../core/transport.js';
import type { RegisteredTool } from '../types.js';
import { Collection } from './resource.js';

type Manifest = ToolManifest & { requires_approval?: boolean; [field: string]: unknown };

/**
 * /v1/tools: the tenant's registered tools (HTTP, OpenAPI, MCP). `retrieve` also
 * takes `dir:<name>` (the tool directory's) or `builtin:<name>`.
 */
export class Tools extends Collection<RegisteredTool> {
  protected readonly path = '/v1/tools';

  create(manifest: Manifest, options?: RequestOptions): Promise<RegisteredTool> {
    return this.post(this.path, manifest, options);
  }
  update(id: string, changes: Partial<Manifest>, options?: RequestOptions): Promise<RegisteredTool> {
    return this.patch(this.pathOf(id), changes, options);
  }
  /** The JSON Schema of a tool manifest. */
  manifestSchema(options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.get('/v1/tools/manifest-schema', undefined, options);
  }
}
