import type { RunObserver, RunObserverFactory } from '@agentd/runtime';
import type { ResponseEventBody } from '@agentd/spec';
import type { Metrics } from './metrics.js';

/** The first streamed part of a model's answer: what time to first token measures to. */
const FIRST_TOKEN = new Set<string>([
  'response.output_text.delta',
  'response.reasoning_text.delta',
  'response.function_call_arguments.delta',
]);

/**
 * Metrics of runs, from their events: run duration by outcome, model call
 * latency, time to first token and tokens by model, tool calls by tool and
 * outcome with latency. Nothing here touches the loop.
 */
export function runMetrics(metrics: Metrics): RunObserverFactory {
  return () => new RunMetrics(metrics);
}

class RunMetrics implements RunObserver {
  private readonly started = performance.now();
  private call: { model: string; started: number; firstToken: boolean } | undefined;

  constructor(private readonly metrics: Metrics) {}

  within<T>(execute: () => Promise<T>): Promise<T> {
    return execute();
  }

  prepared<T>(run: T): T {
    return run;
  }

  event(event: ResponseEventBody): void {
    const call = this.call;
    if (event.type === 'response.model_call.started') {
      this.call = { model: event.model, started: performance.now(), firstToken: false };
    } else if (call && !call.firstToken && FIRST_TOKEN.has(event.type)) {
      call.firstToken = true;
      this.metrics.firstTokenAfter(call.model, secondsSince(call.started));
    } else if (call && event.type === 'response.model_call.completed') {
      this.metrics.modelCall(call.model, 'completed', secondsSince(call.started));
      this.metrics.tokensUsed(call.model, event.usage.input_tokens, event.usage.output_tokens);
      this.call = undefined;
    } else if (event.type === 'response.tool_call.completed') {
      this.metrics.toolCall(event.name, event.status, event.duration_ms / 1000);
    }
  }

  ended(end: { final: { status: string } } | { error: unknown }): void {
    const status = 'final' in end ? end.final.status : 'stopped';
    // A model call still open when the run failed is what failed it (an outage, a time-out).
    if (this.call && status === 'failed') {
      this.metrics.modelCall(this.call.model, 'failed', secondsSince(this.call.started));
    }
    this.metrics.runExecuted(status, secondsSince(this.started));
  }
}

function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
