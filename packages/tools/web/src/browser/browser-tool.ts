import type { NetworkPolicy } from '@agentd/net-policy';
import type { RunTool, ToolResult } from '@agentd/spec';
import { WebToolError } from '../errors.js';
import { failureResult, integerArgument } from '../tool-errors.js';
import { wrapUntrusted } from '../untrusted/untrusted-content.js';
import type { BrowserPool } from './browser-pool.js';
import type { Screenshot } from './browser-session.js';
import type { PageSnapshot } from './current-page.js';

export type BrowserAction = 'open' | 'find' | 'scroll' | 'follow' | 'back' | 'screenshot';

export interface BrowserToolArgs {
  action: BrowserAction;
  url?: string;
  text?: string;
  link?: number;
  part?: number;
  direction?: 'down' | 'up';
  full_page?: boolean;
}

/** Stores a screenshot (as an image artifact, say) and returns how the model may refer to it. */
export type SaveScreenshot = (
  screenshot: Screenshot,
  context: { sessionId: string; callId: string },
) => Promise<string | undefined> | string | undefined;

export interface BrowserToolOptions {
  pool: BrowserPool;
  policy: NetworkPolicy;
  /** The conversation: each gets a browser context of its own. */
  sessionId: string;
  saveScreenshot?: SaveScreenshot;
}

const SOURCE = 'a web page opened in the browser';

/** browser: Chromium with JavaScript, read as markdown in parts, links followed by number. */
export function createBrowserTool(options: BrowserToolOptions): RunTool {
  const { pool, policy, sessionId } = options;
  return {
    definition: {
      name: 'browser',
      description:
        'A web browser that runs JavaScript. Actions: "open" a URL; "scroll" to the next part of a long page ' +
        '(or "part": N, or "direction": "up"); "follow" a link by its number; "back"; "find" text in the page; ' +
        '"screenshot". Pages come back as markdown with numbered links.',
      parameters: {
        type: 'object',
        properties: {
          action: { type: 'string', enum: ['open', 'find', 'scroll', 'follow', 'back', 'screenshot'] },
          url: { type: 'string', description: 'For "open": an http or https URL.' },
          text: { type: 'string', description: 'For "find": the text to look for.' },
          link: { type: 'integer', minimum: 1, description: 'For "follow": the link number, as in [3].' },
          part: { type: 'integer', minimum: 1, description: 'For "scroll": the part to read.' },
          direction: { type: 'string', enum: ['down', 'up'], description: 'For "scroll": default "down".' },
          full_page: { type: 'boolean', description: 'For "screenshot": the whole page, not just the view.' },
        },
        required: ['action'],
        additionalProperties: false,
      },
    },
    timeoutMs: pool.limits.actionTimeoutMs + 15_000,
    async execute(rawArgs, context): Promise<ToolResult> {
      const args = rawArgs as BrowserToolArgs;
      try {
        // Refuse a URL the policy forbids before starting a browser for it.
        if (args.action === 'open') policy.assertUrl(required(args.url, 'url', 'open'));
        const session = await pool.session(sessionId, policy);
        const { signal } = context;
        switch (args.action) {
          case 'open':
            return { output: renderSnapshot(await session.open(required(args.url, 'url', 'open'), signal)) };
          case 'follow': {
            const link = integerArgument(args.link, 'link');
            return { output: renderSnapshot(await session.follow(required(link, 'link', 'follow'), signal)) };
          }
          case 'back':
            return { output: renderSnapshot(await session.back(signal)) };
          case 'scroll': {
            const part = integerArgument(args.part, 'part');
            const scroll = {
              ...(part === undefined ? {} : { part }),
              ...(args.direction ? { direction: args.direction } : {}),
            };
            return { output: renderSnapshot(await session.scroll(scroll, signal)) };
          }
          case 'find': {
            const text = required(args.text, 'text', 'find');
            const found = await session.find(text, signal);
            const lines = found.matches.map((match) => `(part ${match.part}) ${match.snippet}`);
            const summary = `browser: ${found.total} match(es) for ${JSON.stringify(text)}${found.total > found.matches.length ? `, the first ${found.matches.length} shown` : ''}.`;
            if (found.total === 0) return { output: `${summary} Nothing on this page contains it.` };
            return {
              output: `${summary}\n${wrapUntrusted(`URL: ${found.url}\n${lines.join('\n')}`, SOURCE)}`,
            };
          }
          case 'screenshot': {
            const shot = await session.screenshot({ fullPage: args.full_page === true }, signal);
            const reference = await options.saveScreenshot?.(shot, { sessionId, callId: context.callId });
            const stored =
              reference === undefined
                ? 'It was not stored: this server keeps no screenshots.'
                : `Stored as ${reference}.`;
            const about = wrapUntrusted(`URL: ${shot.url}\nTitle: ${shot.title}`, SOURCE);
            return {
              output: `browser: took a screenshot (PNG, ${shot.png.length} bytes). ${stored}\n${about}`,
            };
          }
          default:
            throw new WebToolError('no_page', `Unknown browser action '${String(args.action)}'.`);
        }
      } catch (error) {
        return failureResult(error, context.signal);
      }
    },
  };
}

function required<T>(value: T | undefined, name: string, action: string): T {
  if (value === undefined || value === '') {
    throw new WebToolError('invalid_url', `The "${action}" action needs "${name}".`);
  }
  return value;
}

function renderSnapshot(snapshot: PageSnapshot): string {
  const status = snapshot.status === undefined ? 'from history' : `HTTP ${snapshot.status}`;
  const lines = [`browser: ${status}, part ${snapshot.part} of ${snapshot.partCount}.`, ...snapshot.notes];
  let content = snapshot.content;
  if (snapshot.refused.length > 0) {
    const shown = snapshot.refused
      .slice(0, 10)
      .map(
        (record) =>
          `- ${record.url.slice(0, 200)} (${record.resourceType}): ${record.outcome}, ${record.reason ?? ''}`,
      );
    content += `\n\nRequests of this page that were refused or failed (${snapshot.refused.length}):\n${shown.join('\n')}`;
    lines.push(
      `${snapshot.refused.length} request(s) of the page were refused or failed (listed at the end).`,
    );
  }
  lines.push(wrapUntrusted(content, SOURCE));
  const next: string[] = [];
  if (snapshot.part < snapshot.partCount) next.push(`{"action":"scroll"} reads part ${snapshot.part + 1}`);
  next.push('{"action":"follow","link":N} opens link [N]', '{"action":"find","text":"…"} searches the page');
  lines.push(`Next: ${next.join('; ')}.`);
  return lines.join('\n');
}
