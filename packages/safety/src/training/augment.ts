import type { Row } from './dataset.js';
import { mulberry32 } from './logistic.js';

/**
 * Indirect injections made from the training rows themselves: a short attack
 * inserted at a sentence or line boundary of a longer benign text of another
 * repository. Teaches
 * that an instruction is an attack wherever it sits, whatever surrounds it,
 * from any source's attacks, not only the indirect-injection sets'. The
 * synthetic rows form a group of their own for balancing.
 */
export function insertAttacks(rows: readonly Row[], count: number, seed: number): Row[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const contexts = rows.filter((row) => row.label === 0 && row.text.length >= 300);
  const attacks = rows.filter((row) => row.label === 1 && !row.attack && row.text.length <= 400);
  if (contexts.length === 0 || attacks.length === 0) return [];
  const made: Row[] = [];
  for (let i = 0; i < count; i++) {
    const contextRow = pick(contexts);
    const context = contextRow.text;
    // An attack from another repository than the text it goes into, where one is found.
    let attackRow = pick(attacks);
    for (let tries = 0; tries < 10 && attackRow.repo === contextRow.repo; tries++) attackRow = pick(attacks);
    const attack = attackRow.text;
    const boundaries = [
      0,
      context.length,
      ...[...context.matchAll(/[.!?]\s+|\n/g)].map((m) => m.index + m[0].length),
    ];
    const at = pick(boundaries);
    const before = context.slice(0, at);
    const sep = at === 0 ? '' : before.endsWith('\n') || before.endsWith(' ') ? '' : ' ';
    const text = `${before}${sep}${attack}${at === context.length ? '' : '\n'}${context.slice(at)}`;
    const start = before.length + sep.length;
    made.push({ text, label: 1, repo: 'synthetic/inserted', attack: { start, end: start + attack.length } });
  }
  return made;
}
