import type { RunTool } from '@agentd/spec';

/** How many runs' tools are kept for their first execution (a run claimed elsewhere is forgotten in time). */
const KEPT = 256;

/**
 * The registered and built-in tools a create request resolved (to refuse
 * unknown names), handed to the run's first execution in this process so
 * that they are resolved once per request (ADR-0035). Each is taken once: a
 * run executed by another process, resumed after a crash or continued after
 * an approval resolves its stored `tool_refs` again.
 */
export class ResolvedRunTools {
  readonly #byRun = new Map<string, RunTool[]>();

  /** @param enabled false where runs never execute (AGENTD_ROLE=api): nothing is kept. */
  constructor(private readonly enabled = true) {}

  keep(responseId: string, tools: RunTool[]): void {
    if (!this.enabled || tools.length === 0) return;
    this.#byRun.set(responseId, tools);
    if (this.#byRun.size > KEPT) this.#byRun.delete(this.#byRun.keys().next().value!);
  }

  /** The tools kept for the run, once; undefined when there are none here. */
  take(responseId: string): RunTool[] | undefined {
    const tools = this.#byRun.get(responseId);
    this.#byRun.delete(responseId);
    return tools;
  }

  /** Forgets a run's tools (its create was refused or answered by an earlier response). */
  drop(responseId: string): void {
    this.#byRun.delete(responseId);
  }
}
