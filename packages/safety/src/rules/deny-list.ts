import type { RuleFinding } from './rule-finding.js';

const cache = new Map<string, RegExp>();

/** Terms the tenant forbids, matched case-insensitively on word boundaries. */
export function findDenied(text: string, terms: readonly string[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const term of terms) {
    const trimmed = term.trim();
    if (trimmed === '') continue;
    let pattern = cache.get(trimmed);
    if (!pattern) {
      pattern = new RegExp(
        `(?<![\\p{L}\\p{N}])${trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
        'giu',
      );
      if (cache.size > 1000) cache.clear();
      cache.set(trimmed, pattern);
    }
    for (const match of text.matchAll(pattern))
      findings.push({
        category: 'deny_list',
        score: 1,
        note: `denied term "${trimmed}"`,
        start: match.index,
        end: match.index + match[0].length,
        replacement: '[denied]',
      });
  }
  return findings;
}
