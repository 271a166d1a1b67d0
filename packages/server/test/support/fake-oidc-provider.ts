import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type Alg = 'RS256' | 'ES256' | 'EdDSA';

interface SigningKey {
  kid: string;
  alg: Alg;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * A local OpenID Connect provider: a real HTTP server answering discovery
 * and JWKS, holding signing keys it can rotate, and minting access tokens.
 * It counts the JWKS requests, so tests can see when agentd fetched keys.
 */
export class FakeOidcProvider {
  jwksRequests = 0;
  private keys: SigningKey[] = [];

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async start(): Promise<FakeOidcProvider> {
    let provider: FakeOidcProvider | undefined;
    const server = createServer((req, res) => {
      if (!provider) return res.writeHead(503).end();
      const path = new URL(req.url ?? '/', provider.issuer).pathname;
      if (path === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: provider.issuer, jwks_uri: `${provider.issuer}/jwks` }));
      } else if (path === '/jwks') {
        provider.jwksRequests += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: provider.keys.map((key) => key.publicJwk) }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    provider = new FakeOidcProvider(server, `http://127.0.0.1:${port}`);
    await provider.addKey('RS256');
    await provider.addKey('ES256');
    await provider.addKey('EdDSA');
    return provider;
  }

  /** Adds a key to the published set; returns its kid. */
  async addKey(alg: Alg): Promise<string> {
    const key = await FakeOidcProvider.newKey(alg);
    this.keys.push(key);
    return key.kid;
  }

  /** Replaces every published key with one new key (a rotation); returns its kid. */
  async rotate(alg: Alg = 'RS256'): Promise<string> {
    this.keys = [];
    return this.addKey(alg);
  }

  static async newKey(alg: Alg): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomUUID();
    return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
  }

  publicJwk(alg: Alg = 'RS256'): JWK {
    const key = this.keys.find((k) => k.alg === alg);
    if (!key) throw new Error(`no ${alg} key`);
    return key.publicJwk;
  }

  /**
   * An access token: `claims` are added to iss, sub, aud, iat and a 5-minute
   * exp (each may be overridden; `undefined` removes one). `key` signs with a
   * key of the caller's (kept under its own kid unless `kid` says otherwise).
   */
  async token(
    claims: JWTPayload & Record<string, unknown>,
    options: { alg?: Alg; kid?: string; key?: SigningKey } = {},
  ): Promise<string> {
    const alg = options.alg ?? 'RS256';
    const key = options.key ?? this.keys.find((k) => k.alg === alg);
    if (!key) throw new Error(`no ${alg} key`);
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: this.issuer,
      sub: 'user-1',
      iat: now,
      exp: now + 300,
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
