import { type Agentd, openaiOptions, startAgentd, type TestServerOptions } from '@agentd/test-server';
import { type ApiClient, suiteFixture } from '@agentd/testing';
import OpenAI, { type ClientOptions } from 'openai';

/** What a suite's tests reach its server by; set before the first test. */
export interface AgentdSuite<A extends Agentd = Agentd> {
  agentd: A;
  /** The admin's JSON client. */
  api: ApiClient;
  /** The official `openai` client, with the admin's key. */
  client: OpenAI;
}

/** Options for the server, or a function read when it starts (after the `beforeAll` hooks registered before it). */
export type SuiteOptions<O> = O | (() => O);

/** Extra options for the official client (`maxRetries: 0`, say). */
export type SuiteClientOptions = Omit<ClientOptions, 'baseURL' | 'apiKey'>;

/**
 * An agentd started by `start` for the tests of the calling `describe`:
 * started before them, closed after them.
 */
export function startedSuite<A extends Agentd, O>(
  start: (options: O) => Promise<A>,
  options: SuiteOptions<O>,
  client: SuiteClientOptions = {},
): AgentdSuite<A> {
  return suiteFixture(async (closeLater) => {
    const agentd = closeLater(await start(typeof options === 'function' ? (options as () => O)() : options));
    return { agentd, api: agentd.api, client: new OpenAI({ ...openaiOptions(agentd), ...client }) };
  });
}

/**
 * An agentd with its own models only (the scripted stand-in: no fake model
 * server) for the tests of the calling `describe`. `options` may be a
 * function, read when the server starts (after the `beforeAll` hooks
 * registered before it, e.g. a tool server's whose address it names).
 */
export function agentdSuite(
  options: SuiteOptions<TestServerOptions>,
  client: SuiteClientOptions = {},
): AgentdSuite {
  return startedSuite(startAgentd, options, client);
}
