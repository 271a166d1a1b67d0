import type { SafetyCategory } from '@agentd/spec';

/** One thing a rule found: its category, how sure the rule is (0..1), what it saw, and where, when it has a place. */
export interface RuleFinding {
  category: SafetyCategory;
  score: number;
  note: string;
  start?: number;
  end?: number;
  /** What a redaction puts in place of text.slice(start, end). */
  replacement?: string;
}
