import type { RunTool, ToolContext, ToolResult, ToolScope } from '@agentd/spec';
import { wrapUntrusted } from '@agentd/spec';
import { failureResult, requireScope, type ScopeCheck } from './tool-support.js';

export interface MemoryRecord {
  id: string;
  text: string;
  score: number;
  /** ISO 8601. */
  createdAt: string;
}

export interface MemoryToolsOptions {
  /** Stores a memory for the scope's user, or refuses it (e.g. the PII policy) with a reason. */
  save: (scope: ToolScope, text: string) => Promise<{ id: string } | { refused: string }>;
  /** The scope's user's memories that best match the query, best first. */
  search: (scope: ToolScope, query: string, limit: number) => Promise<MemoryRecord[]>;
}

export const MEMORY_NEEDS_USER_MESSAGE =
  "Long-term memory needs a user, and this request names none (the API request's `user` field): " +
  'there is no one to remember this for. Carry on without memory.';

const MAX_MEMORY_CHARS = 2000;

/** A scope with a user, or the error explaining why memory cannot be used. */
function requireUser(tool: string, context: ToolContext): ScopeCheck {
  const check = requireScope(tool, context);
  if (check.ok && !check.scope.user)
    return { ok: false, result: { output: `${tool}: ${MEMORY_NEEDS_USER_MESSAGE}`, isError: true } };
  return check;
}

/** memory_save and memory_search: facts about the user kept across conversations, per user. */
export function createMemoryTools(options: MemoryToolsOptions): [RunTool, RunTool] {
  const save: RunTool = {
    definition: {
      name: 'memory_save',
      description:
        'Save a lasting fact about the user (a preference, a detail of their situation) to long-term memory, to ' +
        'recall in later conversations. One self-contained fact per call, in plain words. Save only what the ' +
        'user would want remembered; never secrets.',
      parameters: {
        type: 'object',
        properties: { text: { type: 'string', minLength: 1, maxLength: MAX_MEMORY_CHARS } },
        required: ['text'],
        additionalProperties: false,
      },
    },
    timeoutMs: 30_000,
    async execute(rawArgs, context): Promise<ToolResult> {
      const text = (rawArgs as { text: string }).text.trim();
      const check = requireUser('memory_save', context);
      if (!check.ok) return check.result;
      try {
        const saved = await options.save(check.scope, text);
        if ('refused' in saved) return { output: `memory_save: not saved. ${saved.refused}`, isError: true };
        return { output: `memory_save: saved (memory ${saved.id}): ${JSON.stringify(text)}` };
      } catch (error) {
        return failureResult('memory_save', error, context.signal);
      }
    },
  };
  const search: RunTool = {
    definition: {
      name: 'memory_search',
      description:
        'Search what you have saved about the user in earlier conversations. Returns the best-matching memories, ' +
        'most relevant first, with when each was saved.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1 },
          limit: { type: 'integer', minimum: 1, maximum: 20, description: 'Memories wanted; default 5.' },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
    timeoutMs: 30_000,
    // A search: running it again after a worker failure changes nothing.
    idempotent: true,
    async execute(rawArgs, context): Promise<ToolResult> {
      const { query, limit = 5 } = rawArgs as { query: string; limit?: number };
      const check = requireUser('memory_search', context);
      if (!check.ok) return check.result;
      try {
        const memories = await options.search(check.scope, query, limit);
        if (memories.length === 0)
          return { output: `memory_search: no saved memory matches ${JSON.stringify(query)}.` };
        const lines = memories.map(
          (memory, i) =>
            `[${i + 1}] saved ${memory.createdAt} (memory ${memory.id}, score ${memory.score.toFixed(3)}): ${memory.text}`,
        );
        return {
          output: `memory_search: ${memories.length} memory(ies) for ${JSON.stringify(query)}.\n${wrapUntrusted(lines.join('\n'), "the user's saved memories")}`,
        };
      } catch (error) {
        return failureResult('memory_search', error, context.signal);
      }
    },
  };
  return [save, search];
}
