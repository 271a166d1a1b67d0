import {
  ApiClient,
  type FakeOpenAI,
  type FakeOpenAIOptions,
  startFakeOpenAI,
  type TestDatabase,
} from '@agentd/testing';
import { type Backend, startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

/** A running agentd test server with an admin API client; what most server tests start with. */
export interface Agentd {
  server: TestServer & { database?: TestDatabase };
  /** A JSON client holding the admin key. */
  api: ApiClient;
  /** The OpenAI-style base URL, `${server.url}/v1`, for the official client. */
  baseURL: string;
  /** Closes the server; safe to call twice. */
  close(): Promise<void>;
}

/** An agentd test server whose default model is the fake OpenAI-compatible server. */
export interface AgentdWithFakeModel extends Agentd {
  fake: FakeOpenAI;
}

export interface AgentdWithFakeModelOptions {
  backend: Backend;
  /**
   * More configuration; it wins over the defaults (the fake's URL, 'sk-fake',
   * 'fake-model'). `undefined` leaves a default unset (e.g. no upstream key).
   */
  env?: Record<string, string | undefined>;
  /** Options of the fake model server. */
  fake?: FakeOpenAIOptions;
}

/** Starts an agentd test server and an admin client for it. */
export async function startAgentd(options: TestServerOptions): Promise<Agentd> {
  const server = await startTestServer(options);
  return {
    server,
    api: new ApiClient(server.url, server.adminKey),
    baseURL: `${server.url}/v1`,
    close: server.close,
  };
}

/**
 * Starts the fake model, then agentd pointed at it (OPENAI_BASE_URL, OPENAI_API_KEY
 * 'sk-fake', AGENTD_DEFAULT_MODEL 'fake-model', then `env`). If agentd fails to
 * start the fake is closed before the error is rethrown, so nothing leaks.
 */
export async function startAgentdWithFakeModel(
  options: AgentdWithFakeModelOptions,
): Promise<AgentdWithFakeModel> {
  const fake = await startFakeOpenAI(options.fake);
  let agentd: Agentd;
  try {
    const env = {
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-fake',
      AGENTD_DEFAULT_MODEL: 'fake-model',
      ...options.env,
    };
    const set = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined);
    agentd = await startAgentd({ backend: options.backend, env: Object.fromEntries(set) });
  } catch (error) {
    await fake.close();
    throw error;
  }
  return {
    ...agentd,
    fake,
    async close() {
      // The server first: a run in flight may still be talking to the fake.
      try {
        await agentd.close();
      } finally {
        await fake.close();
      }
    },
  };
}

/** What the official `openai` client needs to talk to agentd as the admin. */
export function openaiOptions(agentd: Agentd): { baseURL: string; apiKey: string } {
  return { baseURL: agentd.baseURL, apiKey: agentd.server.adminKey };
}
