/**
 * The shape of the scripted model's rules (ScriptedRule in @agentd/providers),
 * repeated here so this package does not depend on the providers.
 */
export interface FilesScriptedRule {
  tool: string;
  example: string;
  match(text: string): Record<string, unknown> | undefined;
  /** How to enable the tool, when it is not by naming it in `tools`. */
  enable?: string;
}

/** Memory tools come with an agent's memory setting, not with `tools`. */
const ENABLE_MEMORY =
  'use an agent with "memory": {"enabled": true} and send the end user\'s id as "user" (who opts in first: POST /v1/memories/consent)';

/** Captures what follows a fixed opening, trimmed; undefined when the text does not start that way. */
function after(pattern: RegExp, text: string): string | undefined {
  const rest = pattern.exec(text.trim())?.[1]?.trim();
  return rest ? rest : undefined;
}

/**
 * "remember that <fact>", "what do you remember about <topic>" and "search
 * my files for <query>". Put them before webRules: its "search <query>"
 * would otherwise take "search my files for …" to the web.
 */
export const filesRules: readonly FilesScriptedRule[] = [
  {
    tool: 'memory_save',
    example: 'remember that my favourite colour is green',
    match: (text) => {
      const fact = after(/^remember\s+that\s+(.+)$/is, text);
      return fact === undefined ? undefined : { text: fact };
    },
    enable: ENABLE_MEMORY,
  },
  {
    tool: 'memory_search',
    example: 'what do you remember about my favourite colour',
    match: (text) => {
      const query = after(/^what\s+do\s+you\s+remember\s+about\s+(.+?)\??$/is, text);
      return query === undefined ? undefined : { query };
    },
    enable: ENABLE_MEMORY,
  },
  {
    tool: 'file_search',
    example: 'search my files for quarterly revenue',
    match: (text) => {
      const query = after(/^search\s+(?:in\s+)?my\s+files\s+for\s+(.+)$/is, text);
      return query === undefined ? undefined : { query };
    },
  },
];
