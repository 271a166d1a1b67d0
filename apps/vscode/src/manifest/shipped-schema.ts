import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the build puts the manifest schema inside the extension (package.json's jsonValidation names it too). */
export const SHIPPED_SCHEMA = 'schemas/tool-manifest.schema.json';

/** The manifest JSON Schema shipped in the extension: no server needed, so it works offline. */
export function loadShippedSchema(extensionRoot: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(extensionRoot, SHIPPED_SCHEMA), 'utf8'));
}
