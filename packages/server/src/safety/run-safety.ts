import type { RunChecks, RunTool } from '@agentd/core';
import type { JudgeEndpoint } from '@agentd/safety';
import type { LanguageModel } from '@agentd/spec';
import type { SafetySetting } from '@agentd/spec/wire';
import { WEB_TOOL_NAMES } from '../tools/builtins/builtin-tools.js';
import { type ResolvedSafety, resolveSafety } from './resolve-safety.js';
import { memoryCheckFor, runChecksFor } from './run-checks-for.js';
import { spotlightModel } from './spotlight-model.js';

/** The tools that enclose their results in untrusted-data markers themselves. */
const ENCLOSING_TOOLS: ReadonlySet<string> = new Set([...WEB_TOOL_NAMES, 'file_search', 'memory_search']);

/** Where a tenant's safety defaults are kept (undefined: none of its own). */
export interface TenantSafetyDefaults {
  defaultsFor(tenantId: string): Promise<SafetySetting | undefined>;
}

/** Checks a text the model asks to remember: what to store, or why not. */
export type MemoryGuard = (
  text: string,
  signal: AbortSignal,
) => Promise<{ text: string } | { refused: string }>;

/** What a run gets from its safety setting. */
export interface PreparedSafety {
  checks?: RunChecks;
  /** Whether the run's tools' results are marked as data in the prompt (then the model is told so). */
  marksData: boolean;
  /** The run's model, with the results of the tools agentd runs marked as data. */
  model: LanguageModel;
}

export interface RunSafetyOptions {
  /** The platform's default (AGENTD_SAFETY, AGENTD_SAFETY_POLICY) over agentd's own. */
  platform: ResolvedSafety;
  tenants?: TenantSafetyDefaults;
  judge?: JudgeEndpoint;
}

/** A run's safety from the platform's default, its tenant's and its agent's setting, in that order. */
export class RunSafety {
  constructor(private readonly options: RunSafetyOptions) {}

  /** The platform's default, every field filled. */
  get platform(): ResolvedSafety {
    return this.options.platform;
  }

  /** Whether an LLM judge is configured (AGENTD_SAFETY_JUDGE_MODEL). */
  get judged(): boolean {
    return this.options.judge !== undefined;
  }

  async resolve(tenantId: string, agent: SafetySetting | undefined): Promise<ResolvedSafety> {
    const tenant = await this.options.tenants?.defaultsFor(tenantId);
    return resolveSafety(this.options.platform, tenant, agent);
  }

  /**
   * What the run's memory_save may store: checked on the `memory` surface
   * (the setting is resolved on the first write). Undefined results pass.
   */
  memoryGuard(tenantId: string, agent: SafetySetting | undefined): MemoryGuard {
    let check: Promise<ReturnType<typeof memoryCheckFor>> | undefined;
    return async (text, signal) => {
      check ??= this.resolve(tenantId, agent).then((setting) =>
        memoryCheckFor(setting, { tenantId }, this.options.judge ? { judge: this.options.judge } : {}),
      );
      const guard = await check;
      return guard ? guard(text, signal) : { text };
    };
  }

  async prepare(
    tenantId: string,
    agent: SafetySetting | undefined,
    model: LanguageModel,
    tools: readonly RunTool[],
    /** Told what each of the run's judge calls used (usage and budgets). */
    onJudgeUsage?: JudgeEndpoint['onUsage'],
  ): Promise<PreparedSafety> {
    const setting = await this.resolve(tenantId, agent);
    const judge =
      this.options.judge && onJudgeUsage
        ? { ...this.options.judge, onUsage: onJudgeUsage }
        : this.options.judge;
    const checks = runChecksFor(setting, { tenantId }, judge ? { judge } : {});
    const executed = tools.filter((tool) => tool.execute).map((tool) => tool.definition.name);
    const marks = new Set(executed.filter((name) => !ENCLOSING_TOOLS.has(name)));
    const spotlight = setting.enabled && setting.spotlight && executed.length > 0;
    return {
      ...(checks ? { checks } : {}),
      marksData: spotlight,
      model: spotlight && marks.size > 0 ? spotlightModel(model, marks) : model,
    };
  }
}
