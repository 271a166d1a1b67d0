import { randomUUID } from 'node:crypto';
import type { Principal } from '@agentd/spec';
import { MCP_SESSION_HEADER } from '@agentd/spec/wire';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { AgentdError } from '../errors.js';
import { authInfoOf, type McpRequestContext } from './mcp-server.js';

export const SESSION_HEADER = MCP_SESSION_HEADER;

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  /** The credential that opened it: only that one may use it. */
  owner: string;
  lastSeen: number;
}

export interface McpSessionsOptions {
  createServer: () => McpServer;
  logger: Logger;
  /** A session unused this long is closed. */
  idleMs: number;
  /** Sessions kept open at most; the least recently used is closed to open another. */
  max: number;
}

/**
 * The MCP sessions this process holds (Streamable HTTP's session mode, ADR-0025):
 * each one an McpServer and its transport, opened by an `initialize` and
 * bound to the credential that opened it, so no other key, even of the same
 * tenant, can use or close it.
 */
export class McpSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: McpSessionsOptions) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(options.idleMs, 60_000));
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Answers one MCP request: an `initialize` opens a session; anything else needs one's id. */
  async handle(
    request: Request,
    body: unknown,
    context: McpRequestContext,
    token: string,
  ): Promise<Response> {
    const authInfo = authInfoOf(context, token);
    const id = request.headers.get(SESSION_HEADER);
    if (id !== null) {
      const session = this.sessions.get(id);
      // Another credential's session is as unknown as a closed one.
      if (!session || session.owner !== ownerOf(context.principal)) throw sessionNotFound();
      session.lastSeen = Date.now();
      // Kept in the order of use: the first entry is the least recently used.
      this.sessions.delete(id);
      this.sessions.set(id, session);
      return session.transport.handleRequest(request, { parsedBody: body, authInfo });
    }
    if (request.method !== 'POST' || !isInitializeRequest(body)) {
      throw new AgentdError(
        'invalid_request',
        'mcp_session_required',
        `Send an MCP initialize request first, then its session id in the ${SESSION_HEADER} header.`,
        { param: `header.${SESSION_HEADER}` },
      );
    }
    return (await this.open(context.principal)).handleRequest(request, { parsedBody: body, authInfo });
  }

  private async open(principal: Principal): Promise<WebStandardStreamableHTTPServerTransport> {
    if (this.sessions.size >= this.options.max) this.closeLeastRecent();
    const server = this.options.createServer();
    const owner = ownerOf(principal);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, server, owner, lastSeen: Date.now() });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport;
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.options.idleMs;
    for (const [id, session] of this.sessions) if (session.lastSeen < cutoff) this.close(id, session);
  }

  private closeLeastRecent(): void {
    const oldest = this.sessions.entries().next();
    if (!oldest.done) this.close(...oldest.value);
  }

  private close(id: string, session: Session): void {
    this.sessions.delete(id);
    session.server
      .close()
      .catch((error) => this.options.logger.warn({ err: error, session: id }, 'MCP session close failed'));
  }

  /** Closes every session (the server stops). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const open = [...this.sessions.entries()];
    this.sessions.clear();
    await Promise.all(open.map(([, session]) => session.server.close().catch(() => undefined)));
  }
}

function ownerOf(principal: Principal): string {
  return JSON.stringify([principal.tenantId, principal.method, principal.subject]);
}

function sessionNotFound(): AgentdError {
  return new AgentdError(
    'not_found',
    'mcp_session_not_found',
    'No such MCP session: it was closed, expired, or opened with another credential. Initialize a new one.',
    { param: `header.${SESSION_HEADER}` },
  );
}
