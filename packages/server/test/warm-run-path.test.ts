/**
 * The start-up warm-up of `agentd serve` (warmRunPath): it pays what a first
 * run would, and leaves nothing a user could see — no audit event, no
 * response — and runs after it answer as before.
 */

import { warmRunPath } from '@agentd/server';
import { type Agentd, startAgentd } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('warmRunPath (pglite)', () => {
  let agentd: Agentd;

  beforeAll(async () => {
    agentd = await startAgentd({ backend: 'pglite' });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it('warms without leaving a trace, and a run after it answers', { timeout: 60_000 }, async () => {
    const before = await agentd.api.get('/v1/audit_events');
    expect(before.status).toBe(200);
    await expect(warmRunPath(agentd.server.server.services, agentd.server.url)).resolves.toBeUndefined();
    const after = await agentd.api.get('/v1/audit_events');
    expect(after.body.data).toEqual(before.body.data);
    const run = await agentd.api.post('/v1/responses', { model: 'scripted', input: 'hello' });
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('completed');
  });
});
