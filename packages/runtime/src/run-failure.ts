import { AgentdError, type OutputItem, type ResponseObject } from '@agentd/spec';
import type { RunRecorder } from './run-recorder.js';
import type { StoredRun } from './run-store.js';

/** The abort reason of a run whose events could not be stored: it stops where it is. */
export class RunWriteFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('the run could not be recorded');
    this.name = 'RunWriteFailed';
  }
}

/**
 * Records a run that could not be carried on as `failed`, with an error the
 * client can read, and returns its final snapshot. If even that write fails
 * (the database is gone past the retry budget), the run stays in progress
 * for the recovery that resumes runs, and the caller gets a 503.
 */
export async function endFailedRun(
  recorder: RunRecorder,
  stored: StoredRun,
  cause: unknown,
): Promise<ResponseObject> {
  const error = recorder.failed ? writeError(recorder, cause) : internalError();
  const ended = (response: ResponseObject, output: OutputItem[]): ResponseObject => ({
    ...response,
    output,
    status: 'failed',
    completed_at: Math.floor(Date.now() / 1000),
    error,
  });
  const latest = recorder.latest ?? stored.snapshot;
  try {
    return await recorder.fail(ended(latest, latest.output.map(closeItem)), ended(stored.snapshot, []));
  } catch (failure) {
    throw new AgentdError(
      'unavailable',
      'storage_unavailable',
      `agentd could not store response '${stored.id}' and stopped it; it stays in progress and is resumed when the server restarts.`,
      { cause: failure },
    );
  }
}

function writeError(recorder: RunRecorder, cause: unknown): { code: string; message: string } {
  const { events, after } = recorder.unwritten;
  const types = [...new Set(events.map((event) => event.type))].join(', ');
  const reason = cause instanceof Error ? cause.message : String(cause);
  return {
    code: 'storage_error',
    message: `agentd could not store this run's events after sequence ${after}${types ? ` (${types})` : ''}, so the run was stopped: ${reason}`,
  };
}

function internalError(): { code: string; message: string } {
  return {
    code: 'internal_error',
    message: 'The run stopped on an internal error; the server log has the details.',
  };
}

/** An item left open by the stop is closed as incomplete, as a cancelled run's are. */
function closeItem(item: OutputItem): OutputItem {
  return 'status' in item && item.status === 'in_progress'
    ? ({ ...item, status: 'incomplete' } as OutputItem)
    : item;
}
