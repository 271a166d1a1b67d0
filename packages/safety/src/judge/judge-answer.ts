import type { SafetyCategory } from '@agentd/spec';

export interface JudgeAnswer {
  action: 'allow' | 'flag' | 'block';
  categories: SafetyCategory[];
  score: number;
  principle: number;
  reason: string;
}

const CATEGORIES: readonly SafetyCategory[] = ['prompt_injection', 'jailbreak', 'harmful'];

/** The JSON schema the judge must answer in (OpenAI structured outputs, strict). */
export const JUDGE_ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'categories', 'score', 'principle', 'reason'],
  properties: {
    action: { type: 'string', enum: ['allow', 'flag', 'block'] },
    categories: { type: 'array', items: { type: 'string', enum: CATEGORIES } },
    score: { type: 'number', description: 'How likely the text breaks a principle, 0 to 1.' },
    principle: { type: 'integer', description: 'The number of the principle broken, 0 if none.' },
    reason: { type: 'string', description: 'One sentence.' },
  },
} as const;

/** The judge's answer if it is well formed, else a description of what is wrong with it. */
export function parseJudgeAnswer(content: string): JudgeAnswer | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { error: `the judge's answer is not JSON: ${JSON.stringify(content.slice(0, 80))}` };
  }
  if (typeof value !== 'object' || value === null)
    return { error: 'the judge answered with something other than an object' };
  const answer = value as Record<string, unknown>;
  if (answer.action !== 'allow' && answer.action !== 'flag' && answer.action !== 'block')
    return { error: `the judge's action ${JSON.stringify(answer.action)} is not allow, flag or block` };
  if (typeof answer.score !== 'number' || !(answer.score >= 0 && answer.score <= 1))
    return { error: `the judge's score ${JSON.stringify(answer.score)} is not a number in 0..1` };
  if (!Array.isArray(answer.categories) || !answer.categories.every((c) => CATEGORIES.includes(c)))
    return {
      error: `the judge's categories ${JSON.stringify(answer.categories)} are not a list of ${CATEGORIES.join(', ')}`,
    };
  return {
    action: answer.action,
    categories: answer.categories as SafetyCategory[],
    score: answer.score,
    principle: typeof answer.principle === 'number' ? answer.principle : 0,
    reason: typeof answer.reason === 'string' ? answer.reason : '',
  };
}
