/** GroupCommit with a key (the worker's claims): claims asked for together go in one statement; a run twice in a group, or a failure, stays apart. */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/queue/group-commit.js';

interface Claim {
  id: string;
}

/** A batch whose statement takes every claim not in `held` and marks it held, recording each statement's ids. */
function batchOver(held: Set<string>, failing = new Set<string>()) {
  const statements: string[][] = [];
  const batch = new GroupCommit<Claim, string | undefined>(
    async (claims) => {
      statements.push(claims.map((claim) => claim.id));
      if (claims.some((claim) => failing.has(claim.id))) throw new Error('refused');
      return claims.map(({ id }) => {
        if (held.has(id)) return undefined;
        held.add(id);
        return `lease of ${id}`;
      });
    },
    { keyOf: (claim) => claim.id },
  );
  return { batch, statements };
}

describe('GroupCommit with a key', () => {
  it('sends the claims asked for in one turn as one statement, each answered with its own result', async () => {
    const { batch, statements } = batchOver(new Set(['held']));
    const results = await Promise.all(['a', 'b', 'held'].map((id) => batch.add({ id })));
    expect(results).toEqual(['lease of a', 'lease of b', undefined]);
    expect(statements).toEqual([['a', 'b', 'held']]);
  });

  it('sends a second claim of one run in the next statement, where it finds the run held', async () => {
    const { batch, statements } = batchOver(new Set());
    const results = await Promise.all(['a', 'a', 'b'].map((id) => batch.add({ id })));
    expect(results).toEqual(['lease of a', undefined, 'lease of b']);
    expect(statements).toEqual([['a', 'b'], ['a']]);
  });

  it('gathers the claims asked for while a statement is in flight into the next one', async () => {
    const { batch, statements } = batchOver(new Set());
    const first = batch.add({ id: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    const later = await Promise.all([batch.add({ id: 'b' }), batch.add({ id: 'c' }), first]);
    expect(later).toEqual(['lease of b', 'lease of c', 'lease of a']);
    expect(statements).toEqual([['a'], ['b', 'c']]);
  });

  it('fails only the claim whose statement fails alone, after the batch failed', async () => {
    const { batch } = batchOver(new Set(), new Set(['bad']));
    const results = await Promise.allSettled(['a', 'bad', 'b'].map((id) => batch.add({ id })));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toMatchObject({ value: 'lease of a' });
  });
});
