import { BACKENDS, type Backend, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient, TEST_POSTGRES_URL } from '@agentd/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs statements on the PostgreSQL test server's maintenance database. */
async function onPostgres(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Takes the server's database away. PGlite: its embedded database is closed
 * (for good). PostgreSQL: the database refuses new connections and the
 * server's are terminated; the returned function lets it back in.
 */
async function cutDatabase(backend: Backend, server: TestServer & { database?: { name: string } }) {
  if (backend === 'pglite') {
    await server.server.services.db.close();
    return undefined;
  }
  const name = server.database!.name;
  await onPostgres(
    `ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
  );
  return () => onPostgres(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
}

describe.each(BACKENDS)('when the database is unreachable, on %s', (backend) => {
  let server: TestServer & { database?: { name: string } };
  let api: ApiClient;
  let restore: (() => Promise<void>) | undefined;
  let agentId: string;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    api = new ApiClient(server.url, server.adminKey);
    const agent = await api.post('/v1/agents', { name: 'outage-agent' });
    expect(agent.status).toBe(200);
    agentId = agent.body.id;
    expect((await api.get('/readyz')).status).toBe(200);
    restore = await cutDatabase(backend, server);
  });
  afterAll(async () => {
    await restore?.();
    await server?.close();
  });

  it('answers /readyz with 503 naming the database, while /healthz stays 200', async () => {
    const ready = await api.get('/readyz', { headers: { 'x-request-id': `outage-ready-${backend}` } });
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', checks: { database: 'unreachable' } });
    expect(ready.headers.get('x-request-id')).toBe(`outage-ready-${backend}`);
    const health = await api.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });

  it('answers a request it cannot serve with a JSON 500 that carries x-request-id and tells nothing more', async () => {
    const requestId = `outage-500-${backend}`;
    const echoed = await api.get(`/v1/agents/${agentId}`, { headers: { 'x-request-id': requestId } });
    expect(echoed.status).toBe(500);
    expect(echoed.headers.get('content-type')).toContain('application/json');
    expect(echoed.headers.get('x-request-id')).toBe(requestId);
    expect(echoed.body).toEqual({
      error: {
        type: 'server_error',
        code: 'internal_error',
        message: 'The server failed to handle the request.',
        param: null,
      },
    });
    const fresh = await api.get('/v1/agents');
    expect(fresh.status).toBe(500);
    expect(fresh.headers.get('x-request-id')).toMatch(UUID);
    // The failure is logged under the request's id, with the status the client got.
    const lines = server.logs.filter((line) => line.request_id === requestId);
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ status: 500 });
  });

  // A closed PGlite is gone for good (a restart brings the data back: lifecycle.test.ts);
  // a PostgreSQL server that comes back is used again without a restart.
  if (backend !== 'postgres') return;
  it('is ready again once the database is back', async () => {
    await restore?.();
    restore = undefined;
    let ready = await api.get('/readyz');
    for (let i = 0; i < 50 && ready.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await api.get('/readyz');
    }
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    const agent = await api.get(`/v1/agents/${agentId}`);
    expect(agent.status).toBe(200);
    expect(agent.body.name).toBe('outage-agent');
  });
});
