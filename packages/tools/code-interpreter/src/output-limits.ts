/** Caps on what one call may return; every text field is cut to its cap and the cut is marked. */
export interface OutputLimits {
  /** Characters of stdout kept. */
  stdoutChars: number;
  /** Characters of stderr kept. */
  stderrChars: number;
  /** Characters of the last expression's `repr()` kept. */
  resultChars: number;
  /** Characters of a traceback kept (its end: the newest frames). */
  tracebackChars: number;
  /** Characters of an exception's message kept. */
  messageChars: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  stdoutChars: 20_000,
  stderrChars: 10_000,
  resultChars: 10_000,
  tracebackChars: 4_000,
  messageChars: 2_000,
};

export function resolveOutputLimits(limits: Partial<OutputLimits> | undefined): OutputLimits {
  return { ...DEFAULT_OUTPUT_LIMITS, ...limits };
}
