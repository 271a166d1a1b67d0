import type { ToolScope } from '@agentd/core';
import type { Logger } from 'pino';
import { newId } from '../../ids.js';

export interface Artifact {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * Where built-in tools put what they make (code interpreter images and
 * files, browser screenshots): stored as files of the scope's tenant, with an
 * id the response's items carry. The files API supplies the real one.
 */
export interface ArtifactStore {
  /** `url`: a link a browser can open; without one, items link the files API's content route. */
  save(scope: ToolScope, artifact: Artifact): Promise<{ fileId: string; url?: string }>;
}

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
