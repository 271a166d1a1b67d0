/**
 * The shape of the scripted model's rules (ScriptedRule in @agentd/providers),
 * repeated here so this package does not depend on the providers.
 */
export interface WebScriptedRule {
  tool: string;
  example: string;
  match(text: string): Record<string, unknown> | undefined;
}

/** `open example.com/x` → https://example.com/x; a URL with a scheme is kept as written. */
function urlOf(text: string): string | undefined {
  const match = /^open\s+(\S+)$/i.exec(text.trim());
  if (!match) return undefined;
  const target = match[1]!;
  return /^[a-z][a-z0-9+.-]*:/i.test(target) ? target : `https://${target}`;
}

/**
 * "open <url>" and "search <query>". A rule applies only when its tool is
 * available, in order: "open" goes to the browser, or to fetch_url when the
 * browser is not enabled.
 */
export const webRules: readonly WebScriptedRule[] = [
  {
    tool: 'browser',
    example: 'open https://example.com',
    match: (text) => {
      const url = urlOf(text);
      return url === undefined ? undefined : { action: 'open', url };
    },
  },
  {
    tool: 'fetch_url',
    example: 'open https://example.com',
    match: (text) => {
      const url = urlOf(text);
      return url === undefined ? undefined : { url };
    },
  },
  {
    tool: 'web_search',
    example: 'search agentd web tools',
    match: (text) => {
      const match = /^search\s+(.+)$/is.exec(text.trim());
      return match ? { query: match[1]!.trim() } : undefined;
    },
  },
];
