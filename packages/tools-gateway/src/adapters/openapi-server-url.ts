import { AdapterError } from './adapter-error.js';
import type { OpenApiServer } from './openapi-types.js';

/**
 * The base URL of an operation: the manifest's `server_url`, else the first
 * server (the operation's, the path's, then the document's; "/" when none),
 * with its variables at their defaults and a relative URL resolved against
 * the document's own URL.
 */
export function resolveServerUrl(
  servers: OpenApiServer[] | undefined,
  override: string | undefined,
  documentUrl: string | undefined,
  documentName: string,
): string {
  const server = servers?.[0];
  const raw = override ?? substitute(server ?? { url: '/' });
  if (/^https?:\/\//i.test(raw)) return raw;
  if (documentUrl) return new URL(raw, documentUrl).toString();
  throw new AdapterError(
    'document_invalid',
    `the OpenAPI document ${documentName} gives the relative server URL '${raw}', which needs the document's own URL; set server_url in the manifest`,
  );
}

function substitute(server: OpenApiServer): string {
  return server.url.replace(
    /\{([^}]+)\}/g,
    (whole, name: string) => server.variables?.[name]?.default ?? whole,
  );
}
