import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { type FakeOpenAIOptions, startToolServer, type ToolHandler, type ToolServer } from '@agentd/testing';
import type { Browser } from 'playwright-core';
import { DESKTOP, ensureWebBuild, launchBrowser, openPage, signIn, WEB_DIST } from './browser.js';

/** What a web test runs against: the built UI served by a real agentd with the fake model, and Chromium. */
export interface WebStack {
  agentd: AgentdWithFakeModel;
  browser: Browser;
  /** The tool server, when the test asked for tools (`tools`). */
  upstream: ToolServer | undefined;
  /** The server's address and its admin key. */
  url: string;
  key: string;
  /** A fresh page signed in with the admin key (or `key`), on `path` when given. */
  signedIn(options?: {
    path?: string;
    viewport?: { width: number; height: number };
    key?: string;
  }): Promise<Awaited<ReturnType<typeof openPage>>>;
  close(): Promise<void>;
}

/**
 * Builds the UI (unless built from the same sources), starts agentd serving
 * it with the fake model (and `env`), a tool server for `tools` when given,
 * and Debian's Chromium. `close` stops them all, whatever started.
 */
export async function startWebStack(
  options: {
    env?: Record<string, string | undefined>;
    tools?: Record<string, ToolHandler<never>>;
    fake?: FakeOpenAIOptions;
  } = {},
): Promise<WebStack> {
  ensureWebBuild();
  const started: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const part of started.reverse()) await part.close().catch(() => undefined);
  };
  try {
    const upstream = options.tools
      ? await startToolServer(options.tools as Record<string, ToolHandler<unknown>>)
      : undefined;
    if (upstream) started.push(upstream);
    const agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { AGENTD_WEB_DIR: WEB_DIST, ...options.env },
      ...(options.fake ? { fake: options.fake } : {}),
    });
    started.push(agentd);
    const browser = await launchBrowser();
    started.push(browser);
    const url = agentd.server.url;
    const adminKey = agentd.server.adminKey;
    return {
      agentd,
      browser,
      upstream,
      url,
      key: adminKey,
      async signedIn({ path, viewport = DESKTOP, key = adminKey } = {}) {
        const opened = await openPage(browser, viewport);
        await signIn(opened.page, url, key);
        if (path) await opened.page.goto(`${url}${path}`);
        return opened;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
