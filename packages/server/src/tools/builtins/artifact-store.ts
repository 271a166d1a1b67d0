import type { Artifact, ArtifactStore, ToolScope } from '@agentd/spec';
import type { Logger } from 'pino';
import { newId } from '../../ids.js';

export type { Artifact, ArtifactStore } from '@agentd/spec';

/** Keeps nothing: gives each artifact an id and logs it at debug. The default until files are wired. */
export class DiscardingArtifactStore implements ArtifactStore {
  constructor(private readonly logger: Logger) {}

  async save(scope: ToolScope, artifact: Artifact): Promise<{ fileId: string }> {
    const fileId = newId('file');
    this.logger.debug(
      {
        tenant: scope.tenantId,
        response_id: scope.responseId,
        file_id: fileId,
        filename: artifact.filename,
        content_type: artifact.contentType,
        bytes: artifact.bytes.byteLength,
      },
      'artifact not kept: no artifact store is configured',
    );
    return { fileId };
  }
}

/** How an item links a stored artifact: the store's link, else the files API's content route (needs an API key). */
export function artifactUrl(saved: { fileId: string; url?: string }): string {
  return saved.url ?? `/v1/files/${saved.fileId}/content`;
}
