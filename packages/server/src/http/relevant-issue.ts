import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * The issue worth reporting: a union's failure says only "Invalid input", so
 * look into its branches for the one that got furthest (the branch whose
 * `type` matched and then failed on a sub-field) and report that, with its
 * path joined onto the union's.
 */
export function relevantIssue(issue: Issue): Issue {
  if (issue.code !== 'invalid_union') return issue;
  // A discriminated union's unknown `type` already names the field and the options.
  if (issue.errors.length === 0) return issue;
  const candidates = issue.errors.flatMap((branch) => {
    const first = branch[0];
    if (!first) return [];
    const inner = relevantIssue(first);
    return [{ ...inner, path: [...issue.path, ...inner.path] } as Issue];
  });
  const best = candidates.reduce<Issue | undefined>(
    (top, candidate) => (top === undefined || score(candidate) > score(top) ? candidate : top),
    undefined,
  );
  if (!best) return issue;
  // Every branch wanted another kind of value here: say which kinds.
  const expected = candidates.flatMap((candidate) =>
    candidate.code === 'invalid_type' && candidate.path.length === issue.path.length
      ? [candidate.expected]
      : [],
  );
  if (expected.length === candidates.length && expected.length > 1) {
    return { ...best, message: `expected ${[...new Set(expected)].join(' or ')}` } as Issue;
  }
  return best;
}

/** How far a branch got: deeper paths win; failing on the root's kind or its `type` literal loses. */
function score(issue: Issue): number {
  const last = issue.path.at(-1);
  let points = issue.path.length * 2;
  if (issue.code === 'invalid_type') points -= 1;
  if (issue.code === 'invalid_value' && last === 'type') points -= 3;
  return points;
}

/** A zod message without its generic lead-in: "Invalid input: expected string" → "expected string". */
export function plainMessage(message: string): string {
  return message.replace(/^Invalid (input|option): /, '');
}
