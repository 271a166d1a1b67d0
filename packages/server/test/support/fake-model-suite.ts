import {
  type AgentdWithFakeModel,
  type AgentdWithFakeModelOptions,
  openaiOptions,
  startAgentdWithFakeModel,
} from '@agentd/test-server';
import type { ApiClient, FakeOpenAI } from '@agentd/testing';
import OpenAI, { type ClientOptions } from 'openai';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** What a suite's tests reach its server by; set before the first test. */
export interface FakeModelSuite {
  agentd: AgentdWithFakeModel;
  fake: FakeOpenAI;
  /** The admin's JSON client. */
  api: ApiClient;
  /** The official `openai` client, with the admin's key. */
  client: OpenAI;
}

/**
 * An agentd whose model is the fake one, for the tests of the calling
 * `describe`: started before them, closed after them, the fake's script and
 * recorded requests cleared before each. `options` may be a function, read
 * when the server starts (after the `beforeAll` hooks registered before it,
 * e.g. a tool server's whose address it names). `client` adds to the
 * official client's options (`maxRetries: 0`, say).
 */
export function fakeModelSuite(
  options: AgentdWithFakeModelOptions | (() => AgentdWithFakeModelOptions),
  client: Omit<ClientOptions, 'baseURL' | 'apiKey'> = {},
): FakeModelSuite {
  const suite = {} as FakeModelSuite;
  beforeAll(async () => {
    suite.agentd = await startAgentdWithFakeModel(typeof options === 'function' ? options() : options);
    suite.fake = suite.agentd.fake;
    suite.api = suite.agentd.api;
    suite.client = new OpenAI({ ...openaiOptions(suite.agentd), ...client });
  });
  afterAll(async () => {
    await suite.agentd?.close();
  });
  beforeEach(() => suite.fake.reset());
  return suite;
}
