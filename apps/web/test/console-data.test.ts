import { describe, expect, it } from 'vitest';
import { actorOf, auditQuery, NO_FILTERS } from '../src/console/audit-query.js';
import { errorPosition, offsetOf } from '../src/console/policy-text.js';
import { dailySeries, rowsBy, type UsageBucket } from '../src/console/usage-data.js';

const bucket = (fields: Partial<UsageBucket>): UsageBucket => ({
  input_tokens: 0,
  output_tokens: 0,
  total_tokens: 0,
  cost_usd: 0,
  runs: 0,
  ...fields,
});

// The console's pure parts: the audit log's query, the usage charts' rows, a policy error's place.
describe('the console data', () => {
  it('turns the audit filters into the API query: lists, and whole local days', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({});
    const query = auditQuery({
      types: 'agent.created, tool.created',
      actors: 'key_1',
      resources: '',
      from: '2026-12-01',
      to: '2026-12-07',
    });
    expect(query['event_types[]']).toEqual(['agent.created', 'tool.created']);
    expect(query['actor_ids[]']).toEqual(['key_1']);
    expect(query['resource_ids[]']).toBeUndefined();
    expect(query['effective_at[gte]']).toBe(new Date(2026, 11, 1).getTime() / 1000);
    expect(query['effective_at[lt]']).toBe(new Date(2026, 11, 8).getTime() / 1000);
  });

  it('says who acted, and the id the actor filter takes', () => {
    expect(actorOf({ type: 'api_key', api_key: { id: 'key_1', role: 'admin' } })).toEqual({
      text: 'API key key_1 (admin)',
      id: 'key_1',
    });
    expect(
      actorOf({ type: 'session', session: { method: 'jwt', subject: 's', user: { id: 'u_1' } } }),
    ).toEqual({
      text: 'user u_1 (jwt)',
      id: 'u_1',
    });
    expect(actorOf({ type: 'system' })).toEqual({ text: 'agentd (system)', id: null });
  });

  it('sums usage by a group, largest first, the tail folded into one row', () => {
    const buckets = ['a', 'b', 'c', 'd'].map((agent, index) => bucket({ agent, cost_usd: index + 1 }));
    expect(rowsBy([...buckets, bucket({ agent: null, cost_usd: 0.5 })], 'agent', 'cost_usd', 2)).toEqual([
      { label: 'd', value: 4 },
      { label: 'c', value: 3 },
      { label: '3 others', value: 3.5 },
    ]);
  });

  it('lays usage out a UTC day at a time, days without usage at zero', () => {
    const start = Date.UTC(2026, 11, 5) / 1000;
    const series = dailySeries([bucket({ day: '2026-12-06', runs: 3 })], start, start + 3 * 86_400, 'runs');
    expect(series).toEqual([
      { label: '2026-12-05', value: 0 },
      { label: '2026-12-06', value: 3 },
      { label: '2026-12-07', value: 0 },
    ]);
  });

  it("finds a policy error's line and column, and the caret's offset there", () => {
    const message = 'The policy does not parse: line 2, column 3: unexpected token `resource`.';
    expect(errorPosition(message)).toEqual({ line: 2, column: 3 });
    expect(errorPosition('The policy is not valid Cedar')).toBeNull();
    const text = 'permit (\n  résource,\n);';
    expect(text.slice(offsetOf(text, 2, 3))).toMatch(/^résource/);
    expect(offsetOf(text, 2, 4)).toBe(text.indexOf('é'));
  });
});
