/**
 * The write path of a run (issue 12, item 7): in embedded mode the create is
 * the run's first claim (its row is written already held by this process,
 * generation 1, one claim), and the batch that ends the run ends its lease
 * in the same statement. What a client sees is unchanged: the whole answer,
 * every event once, in order; the stored run is complete and nobody holds it.
 */
import { BACKENDS } from '@agentd/test-server';
import { describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';

interface LeaseRow {
  status: string;
  lease_owner: string | null;
  lease_expires_at: unknown;
  lease_generation: number;
  claims: number;
}

describe.each(BACKENDS)('a run written the short way, embedded mode on %s', (backend) => {
  const suite = fakeModelSuite({ backend, fake: { defaultText: 'Three, as one and two make.' } });

  const lease = async (id: string) => {
    const [row] = await suite.agentd.server.server.services.db.query<LeaseRow>(
      `SELECT status, lease_owner, lease_expires_at, lease_generation, claims FROM responses WHERE id = $1`,
      [id],
    );
    return row && { ...row, lease_generation: Number(row.lease_generation), claims: Number(row.claims) };
  };

  it('answers, claimed once by its create, and its last write leaves the run held by nobody', async () => {
    const response = await suite.client.responses.create({ model: 'fake-model', input: 'What is 1 + 2?' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Three, as one and two make.');
    expect(await lease(response.id)).toEqual({
      status: 'completed',
      lease_owner: null,
      lease_expires_at: null,
      lease_generation: 1,
      claims: 1,
    });
  });

  it('streams every event once and in order, and ends the lease with the run', async () => {
    const stream = suite.client.responses.stream({ model: 'fake-model', input: 'What is 1 + 2?' });
    const sequence: number[] = [];
    const types: string[] = [];
    for await (const event of stream) {
      sequence.push(event.sequence_number);
      types.push(event.type);
    }
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('Three, as one and two make.');
    // Each event once, in order (agentd's own events are not in OpenAI's view, so numbers may skip).
    expect(sequence.every((n, index) => index === 0 || n > sequence[index - 1]!)).toBe(true);
    expect(sequence[0]).toBe(1);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(await lease(final.id)).toMatchObject({ lease_owner: null, lease_generation: 1, claims: 1 });
    const stored = await suite.client.responses.retrieve(final.id);
    expect(stored.status).toBe('completed');
    expect(stored.output_text).toBe('Three, as one and two make.');
  });
});
