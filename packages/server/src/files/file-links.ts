import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AgentdError } from '../errors.js';

/** Where the link's key comes from: the master key, for this one purpose. */
const KEY_INFO = 'agentd file links v1';
const VERSION = 'v1';

export interface FileLinkOptions {
  /** The master key; the links' key is derived from it. */
  masterKey: Buffer;
  /** How long a link works. */
  ttlSeconds: number;
  /** AGENTD_PUBLIC_URL: the base of every link when set. */
  publicUrl?: string | undefined;
  /** The base when neither the configuration nor the request gives one. */
  fallbackUrl: string;
}

/**
 * Links to a stored file that a browser can open without an API key: an
 * absolute URL to the file's content route with a short-lived token, an
 * HMAC over the file id, the tenant and the expiry. A token opens that one
 * file of that tenant until it expires, nothing else.
 */
export class FileLinks {
  private readonly key: Buffer;

  constructor(private readonly options: FileLinkOptions) {
    this.key = Buffer.from(hkdfSync('sha256', options.masterKey, Buffer.alloc(0), KEY_INFO, 32));
  }

  /** The link; `origin` is the request's, used when AGENTD_PUBLIC_URL is not set. */
  url(tenantId: string, fileId: string, origin?: string, now = Date.now()): string {
    const base = (this.options.publicUrl ?? origin ?? this.options.fallbackUrl).replace(/\/+$/, '');
    const token = this.sign(tenantId, fileId, now);
    return `${base}/v1/files/${encodeURIComponent(fileId)}/content?token=${token}`;
  }

  sign(tenantId: string, fileId: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.options.ttlSeconds;
    const tenant = Buffer.from(tenantId).toString('base64url');
    return `${VERSION}.${expires}.${tenant}.${this.mac(fileId, tenantId, expires)}`;
  }

  /** The tenant whose file `fileId` the token opens; refuses a token that is malformed, altered, for another file, or expired. */
  verify(token: string, fileId: string, now = Date.now()): string {
    const [version, expiresText, tenant, mac, ...rest] = token.split('.');
    if (
      version !== VERSION ||
      !expiresText ||
      !tenant ||
      !mac ||
      rest.length > 0 ||
      !/^\d+$/.test(expiresText)
    )
      throw invalidLink();
    const expires = Number(expiresText);
    const tenantId = Buffer.from(tenant, 'base64url').toString();
    const expected = Buffer.from(this.mac(fileId, tenantId, expires));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidLink();
    if (expires * 1000 <= now) {
      throw new AgentdError(
        'authentication',
        'file_link_expired',
        'This file link has expired (links last AGENTD_FILE_LINK_TTL_SECONDS). Download the file with an API key instead: GET /v1/files/{id}/content, with the file_id given beside the link.',
        { param: 'token' },
      );
    }
    return tenantId;
  }

  private mac(fileId: string, tenantId: string, expires: number): string {
    return createHmac('sha256', this.key)
      .update(`${VERSION}\n${fileId}\n${tenantId}\n${expires}`)
      .digest('base64url');
  }
}

function invalidLink(): AgentdError {
  return new AgentdError(
    'permission',
    'file_link_invalid',
    'This link does not open this file: its token is altered, malformed or for another file.',
    { param: 'token' },
  );
}

/** The server's own address, for links made where no request or configuration says better. */
export function ownUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
