import { type Agentd, openaiOptions, startAgentd, type TestServerOptions } from '@agentd/test-server';
import type { ApiClient } from '@agentd/testing';
import OpenAI, { type ClientOptions } from 'openai';
import { afterAll, beforeAll } from 'vitest';

/** What a suite's tests reach its server by; set before the first test. */
export interface AgentdSuite {
  agentd: Agentd;
  /** The admin's JSON client. */
  api: ApiClient;
  /** The official `openai` client, with the admin's key. */
  client: OpenAI;
}

/**
 * An agentd with its own models only (the scripted stand-in: no fake model
 * server) for the tests of the calling `describe`: started before them,
 * closed after them. `options` may be a function, read when the server
 * starts (after the `beforeAll` hooks registered before it, e.g. a tool
 * server's whose address it names). `client` adds to the official client's
 * options (`maxRetries: 0`, say).
 */
export function agentdSuite(
  options: TestServerOptions | (() => TestServerOptions),
  client: Omit<ClientOptions, 'baseURL' | 'apiKey'> = {},
): AgentdSuite {
  const suite = {} as AgentdSuite;
  beforeAll(async () => {
    suite.agentd = await startAgentd(typeof options === 'function' ? options() : options);
    suite.api = suite.agentd.api;
    suite.client = new OpenAI({ ...openaiOptions(suite.agentd), ...client });
  });
  afterAll(async () => {
    await suite.agentd?.close();
  });
  return suite;
}
