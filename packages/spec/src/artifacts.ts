/**
 * The artifact contract: where built-in tools put what they make (code
 * interpreter images and files, browser screenshots). Its suite is
 * describeArtifactStoreContract in @agentd/testing.
 */
import type { ToolScope } from './tool.js';

export interface Artifact {
  filename: string;
  contentType: string;
  /** The content (a Node Buffer is one). */
  bytes: Uint8Array;
}

/**
 * Stores an artifact as a file of the scope's tenant, with an id the
 * response's items carry. The server's files API supplies the real one.
 */
export interface ArtifactStore {
  /** `url`: a link a browser can open; without one, items link the files API's content route. */
  save(scope: ToolScope, artifact: Artifact): Promise<{ fileId: string; url?: string }>;
}
