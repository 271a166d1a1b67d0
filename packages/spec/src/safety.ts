/**
 * The safety contract: a phase reads one text from one surface and returns a
 * verdict. Phases (rules, classifier, LLM judge) run in order in a pipeline
 * that stops at the first block; every verdict is kept for the run's event log.
 */

/** Where the text comes from: what the user sent, what a tool returned, what the model is writing, what is stored. */
export const SAFETY_SURFACES = ['user_input', 'tool_output', 'model_output', 'memory', 'file'] as const;
export type SafetySurface = (typeof SAFETY_SURFACES)[number];

/** What to do with the text, from least to most severe. */
export const SAFETY_ACTIONS = ['allow', 'flag', 'redact', 'block'] as const;
export type SafetyAction = (typeof SAFETY_ACTIONS)[number];

export const SAFETY_CATEGORIES = [
  'prompt_injection', // instructions hidden in data, or aimed at overriding the system prompt
  'jailbreak', // attempts to talk the model out of its rules (role play, persuasion, adversarial suffixes)
  'secret', // API keys, tokens and other credentials
  'pii', // personal data: emails, phone numbers, cards, government ids
  'hidden_text', // invisible or bidirectional Unicode that hides or reorders what a reader sees
  'encoded_payload', // base64 or hex that decodes to an instruction
  'deny_list', // a term the tenant has banned
  'harmful', // content the judge's principles reject
] as const;
export type SafetyCategory = (typeof SAFETY_CATEGORIES)[number];

/** A part of the text a verdict is about: text.slice(start, end). */
export interface SafetySpan {
  start: number;
  end: number;
  category: SafetyCategory;
  /** What a redaction puts in its place, e.g. `[redacted email]`. */
  replacement?: string;
}

/** Per-request facts a phase may use beyond the text itself. */
export interface SafetyContext {
  tenantId?: string;
  agentId?: string;
  /** Terms (case-insensitive, matched on word boundaries) the tenant forbids. */
  denyList?: readonly string[];
  /** Run the judge whatever the earlier phases said (the agent's policy asks for it always). */
  forceJudge?: boolean;
  /** Aborts slow phases (the judge) when the request goes away. */
  signal?: AbortSignal;
}

export interface SafetyInput {
  text: string;
  surface: SafetySurface;
  context?: SafetyContext;
}

/** One phase's answer about one text. Scores are in 0..1, higher means more likely a violation. */
export interface SafetyVerdict {
  /** The phase that gave it: `rules`, `classifier`, `judge`. */
  phase: string;
  action: SafetyAction;
  categories: SafetyCategory[];
  scores: Partial<Record<SafetyCategory, number>>;
  reason: string;
  /** The parts of the text the verdict is about; for `redact`, the parts to replace. */
  spans?: SafetySpan[];
  /** Set when the phase could not decide (time-out, failure) and the configured default decided instead. */
  fallback?: 'fail_open' | 'fail_closed';
  durationMs: number;
}

/**
 * One phase of the pipeline. `prior` holds the verdicts of the phases before
 * it (the judge runs only where they are unsure). Returns null when the phase
 * has nothing to say about this input and did not run (for example the judge
 * outside its band), so that only phases that ran are recorded.
 */
export interface SafetyPhase {
  readonly name: string;
  check(
    input: SafetyInput,
    prior: readonly SafetyVerdict[],
  ): Promise<SafetyVerdict | null> | SafetyVerdict | null;
}

/** What the pipeline decided: the most severe action, the text with redactions applied, and every verdict. */
export interface SafetyResult {
  action: SafetyAction;
  /** The input text, with the spans of every `redact` verdict replaced (unchanged otherwise). */
  text: string;
  verdicts: SafetyVerdict[];
  /** The phase whose verdict was `block`, if one was. */
  blockedBy?: string;
}
