import { Readable } from 'node:stream';
import type { ToolScope } from '@agentd/core';
import type { Artifact, ArtifactStore } from '../tools/builtins/artifact-store.js';
import type { FileLinks } from './file-links.js';
import type { FileService } from './file-service.js';

/**
 * Artifacts (code interpreter images and files, browser screenshots) kept as
 * files of the run's tenant, purpose `assistants_output`, linked to the
 * response that made them; downloadable through the files API, and through
 * a signed link that a browser can open.
 */
export class FileArtifactStore implements ArtifactStore {
  constructor(
    private readonly files: FileService,
    private readonly links: FileLinks,
  ) {}

  async save(scope: ToolScope, artifact: Artifact): Promise<{ fileId: string; url: string }> {
    const stored = await this.files.upload(scope.tenantId, {
      filename: artifact.filename,
      purpose: 'assistants_output',
      contentType: artifact.contentType,
      body: Readable.from([artifact.bytes]),
      sizeHint: artifact.bytes.byteLength,
      responseId: scope.responseId,
    });
    return { fileId: stored.id, url: this.links.url(scope.tenantId, stored.id, scope.publicUrl) };
  }
}
