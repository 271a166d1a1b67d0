import { createInterface } from 'node:readline/promises';
import { Agentd } from '@agentd/sdk';
import { writeLogin } from './config-file.js';
import { DEFAULT_URL, describeError } from './connection.js';
import { PromptCancelled, readSecret } from './read-secret.js';
import type { Output } from './render-events.js';

export interface LoginOptions {
  url?: string | undefined;
  key?: string | undefined;
  env: Record<string, string | undefined>;
  out: Output;
  err: Output;
}

/**
 * `agentd login`: checks the key against the server (listing its models), then
 * stores the URL and key in the user's config, readable by the user only.
 * Without --key the key is read from stdin (a prompt that does not echo it
 * on a terminal), so it need not appear in the shell's history or on screen.
 */
export async function login(options: LoginOptions): Promise<number> {
  const url = options.url ?? options.env.AGENTD_URL ?? DEFAULT_URL;
  let key: string;
  try {
    key = (options.key ?? options.env.AGENTD_API_KEY ?? (await readKey(options.err))).trim();
  } catch (error) {
    if (!(error instanceof PromptCancelled)) throw error;
    return 130;
  }
  if (!key) {
    options.err.write('agentd: login needs an API key (--key, AGENTD_API_KEY, or typed at the prompt)\n');
    return 2;
  }
  const client = new Agentd({ baseURL: url, apiKey: key, retry: { maxRetries: 0 } });
  try {
    await client.models.list();
  } catch (error) {
    options.err.write(`agentd: ${describeError(error, url)}\n`);
    return 1;
  }
  const path = writeLogin(options.env, { url: client.baseURL, key });
  options.out.write(`logged in to ${client.baseURL}; saved to ${path}\n`);
  return 0;
}

/** The key from stdin: typed at a prompt that does not echo it, or piped (its first line). */
async function readKey(err: Output): Promise<string> {
  if (process.stdin.isTTY === true) return readSecret(process.stdin, err, 'API key: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}
