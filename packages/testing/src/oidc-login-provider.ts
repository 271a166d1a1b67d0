import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** The person the provider signs in: `sub` and any other claims of the ID token (roles, groups...). */
export type OidcUser = { sub: string } & Record<string, unknown>;

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  user: OidcUser;
}

export interface OidcLoginProvider {
  readonly issuer: string;
  /** The person the next authorization signs in (change it between sign-ins). */
  user: OidcUser;
  /** The redirect URIs the client registered (add one once the app's address is known). */
  readonly redirectUris: string[];
  /** Every token request's grant, as the provider judged it: 'issued' or the OAuth error. */
  readonly tokenRequests: string[];
  close(): Promise<void>;
}

/**
 * A small, real OpenID Connect provider on the loopback for tests: discovery,
 * JWKS, an authorization endpoint that signs the configured user in at once
 * and redirects back with a code, and a token endpoint that checks the code,
 * client, redirect URI and PKCE (S256) before it answers an ES256 ID token
 * (`aud` the client id, with the request's nonce). A code works once.
 */
export async function startOidcLoginProvider(options: {
  clientId: string;
  redirectUris?: string[];
  user: OidcUser;
}): Promise<OidcLoginProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  const tokenRequests: string[] = [];
  let issuer = '';
  const state = { user: options.user };
  const redirectUris = [...(options.redirectUris ?? [])];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, error: string, description: string) => {
    tokenRequests.push(error);
    json(res, 400, { error, error_description: description });
  };

  const authorize = (url: URL, res: ServerResponse) => {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== options.clientId || !redirectUris.includes(redirectUri)) {
      // Never redirect to a URI the client did not register.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client or redirect_uri');
      return;
    }
    const back = new URL(redirectUri);
    const returnedState = q.get('state');
    if (returnedState) back.searchParams.set('state', returnedState);
    const challenge = q.get('code_challenge');
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !challenge) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'code flow with PKCE (S256) only');
    } else {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, {
        clientId: options.clientId,
        redirectUri,
        challenge,
        nonce: q.get('nonce') ?? undefined,
        user: state.user,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const form = new URLSearchParams(text);
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code);
    if (form.get('grant_type') !== 'authorization_code') {
      return refuse(res, 'unsupported_grant_type', 'authorization_code only');
    }
    if (!pending) return refuse(res, 'invalid_grant', 'unknown or used code');
    if (form.get('client_id') !== pending.clientId) return refuse(res, 'invalid_client', 'another client');
    if (form.get('redirect_uri') !== pending.redirectUri) {
      return refuse(res, 'invalid_grant', 'redirect_uri differs from the authorization request');
    }
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
      return refuse(res, 'invalid_grant', 'PKCE verification failed');
    }
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      ...pending.user,
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(pending.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    tokenRequests.push('issued');
    json(res, 200, {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: idToken,
    });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['ES256'],
      });
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize' && req.method === 'GET') return authorize(url, res);
    if (url.pathname === '/token' && req.method === 'POST') {
      token(req, res).catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    get user() {
      return state.user;
    },
    set user(user: OidcUser) {
      state.user = user;
    },
    redirectUris,
    tokenRequests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
