import type { Principal } from '@agentd/spec';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpRequestContext } from './mcp-server.js';
import { McpSessions, SESSION_HEADER } from './mcp-sessions.js';

const URL_ = 'http://agentd.test/mcp';
const HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'unit', version: '1' } },
};
const LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

const principal = (subject: string, tenantId = 'tenant_a'): Principal => ({
  tenantId,
  subject,
  method: 'api_key',
  role: 'member',
});
const context = (who: Principal): McpRequestContext => ({
  principal: who,
  origin: 'http://agentd.test',
  closed: new AbortController().signal,
});
const post = (body: unknown, headers: Record<string, string> = {}) =>
  new Request(URL_, { method: 'POST', headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) });

describe('McpSessions', () => {
  let sessions: McpSessions | undefined;
  afterEach(async () => {
    await sessions?.closeAll();
  });

  function make(max: number): McpSessions {
    sessions = new McpSessions({
      createServer: () => new McpServer({ name: 'unit', version: '1' }, { capabilities: { tools: {} } }),
      logger: pino({ level: 'silent' }),
      idleMs: 60_000,
      max,
    });
    return sessions;
  }

  async function open(target: McpSessions, who: Principal): Promise<string> {
    const answer = await target.handle(post(INITIALIZE), INITIALIZE, context(who), 'token');
    expect(answer.status).toBe(200);
    await answer.text();
    const id = answer.headers.get(SESSION_HEADER);
    expect(id).toBeTruthy();
    return id!;
  }

  it('opens a session on initialize and serves it to the credential that opened it only', async () => {
    const target = make(10);
    const alice = principal('key_alice');
    const id = await open(target, alice);
    expect(target.size).toBe(1);
    const session = { [SESSION_HEADER]: id, 'mcp-protocol-version': '2025-06-18' };
    const own = await target.handle(post(LIST, session), LIST, context(alice), 'token');
    expect(own.status).toBe(200);
    await own.text();
    // Another key of the same tenant, or the same key id in another tenant: as unknown as a closed session.
    for (const other of [principal('key_bob'), principal('key_alice', 'tenant_b')]) {
      await expect(target.handle(post(LIST, session), LIST, context(other), 'token')).rejects.toMatchObject({
        category: 'not_found',
        code: 'mcp_session_not_found',
      });
    }
  });

  it('asks for an initialize first when a request names no session', async () => {
    const target = make(10);
    await expect(
      target.handle(post(LIST), LIST, context(principal('key_alice')), 'token'),
    ).rejects.toMatchObject({
      category: 'invalid_request',
      code: 'mcp_session_required',
      param: `header.${SESSION_HEADER}`,
    });
    const get = new Request(URL_, { method: 'GET', headers: { accept: 'text/event-stream' } });
    await expect(
      target.handle(get, undefined, context(principal('key_alice')), 'token'),
    ).rejects.toMatchObject({
      code: 'mcp_session_required',
    });
    expect(target.size).toBe(0);
  });

  it('closes the least recently used session to open one past the limit', async () => {
    const target = make(2);
    const alice = principal('key_alice');
    const first = await open(target, alice);
    const second = await open(target, alice);
    const session = (id: string) => ({ [SESSION_HEADER]: id, 'mcp-protocol-version': '2025-06-18' });
    // The first is used again: the second becomes the least recently used.
    await (await target.handle(post(LIST, session(first)), LIST, context(alice), 'token')).text();
    await open(target, alice);
    expect(target.size).toBe(2);
    await expect(
      target.handle(post(LIST, session(second)), LIST, context(alice), 'token'),
    ).rejects.toMatchObject({
      code: 'mcp_session_not_found',
    });
    const kept = await target.handle(post(LIST, session(first)), LIST, context(alice), 'token');
    expect(kept.status).toBe(200);
    await kept.text();
  });
});
