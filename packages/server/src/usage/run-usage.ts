import type { RunLoopInput } from '@agentd/core';
import type { StoredRun } from '@agentd/runtime';
import type { JudgeUsage } from '@agentd/safety';
import type { LanguageModel } from '@agentd/spec';
import type { RunSpec } from '../responses/run-spec.js';
import type { Budgets } from './budgets.js';
import { attributionOf, runUser } from './run-attribution.js';
import type { UsageMeter } from './usage-meter.js';

/** What a run is given to count its model calls and stop at its budgets. */
export class RunUsage {
  constructor(
    private readonly meter: UsageMeter,
    private readonly budgets: Budgets,
  ) {}

  /** The run's model, each call's usage recorded against its tenant, user, key and agent. */
  model(run: StoredRun<RunSpec>, model: LanguageModel): LanguageModel {
    return this.meter.model(model, attributionOf(run));
  }

  /** Records each of the run's safety-judge calls, as the judge reports them. */
  judgeUsage(run: StoredRun<RunSpec>): (usage: JudgeUsage) => void {
    const who = attributionOf(run);
    return (usage) => {
      void this.meter.modelCall(who, usage.model, usage, 'safety_judge');
    };
  }

  /** The check before each model call that ends the run once a budget is spent. */
  beforeModelCall(run: StoredRun<RunSpec>): NonNullable<RunLoopInput['beforeModelCall']> {
    return this.budgets.beforeModelCall(run.tenantId, runUser(run.runSpec), run.id);
  }
}
