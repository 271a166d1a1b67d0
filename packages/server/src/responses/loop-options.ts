import type { RunLoopInput } from '@agentd/core';
import type { RunSpec } from './run-spec.js';

/** The run loop's settings from the request's OpenAI fields (structured outputs, truncation). */
export function loopOptions(
  spec: RunSpec,
): Pick<RunLoopInput, 'textFormat' | 'textFormatRetries' | 'truncation'> {
  return {
    ...(spec.text_format ? { textFormat: spec.text_format } : {}),
    ...(spec.text_format_retries === undefined ? {} : { textFormatRetries: spec.text_format_retries }),
    ...(spec.truncation ? { truncation: spec.truncation } : {}),
  };
}
