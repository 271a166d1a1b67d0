import { type Agentd, startAgentd } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-support.js';

describe('agentd audit verify', () => {
  let agentd: Agentd;
  let env: Record<string, string>;

  beforeAll(async () => {
    agentd = await startAgentd({ backend: 'pglite' });
    env = { AGENTD_URL: agentd.server.url, AGENTD_API_KEY: agentd.server.adminKey };
    for (const name of ['one', 'two', 'three']) await agentd.api.post('/v1/agents', { name });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it('says the chain is intact, then names the edited event and exits 1', async () => {
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact).toMatchObject({ code: 0, stderr: '' });
    expect(intact.stdout).toMatch(/^audit chain intact: 3 events verified, head [0-9a-f]{64}\n$/);

    const page = await agentd.api.get('/v1/audit_events?order=asc');
    const second = page.body.data[1];
    const { db } = agentd.server.server.services;
    await db.transaction(async (tx) => {
      await tx.exec('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete');
      await tx.query(`UPDATE audit_events SET type = 'agent.deleted' WHERE id = $1`, [second.id]);
      await tx.exec('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete');
    });

    const broken = await runCli(['audit', 'verify', '--url', agentd.server.url], {
      AGENTD_API_KEY: agentd.server.adminKey,
    });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe(
      `audit chain broken at event #2 (${second.id}): its content is not what was hashed (the event was edited)\n` +
        '1 events before it verified\n',
    );
  });

  it('explains what it needs, with exit 2', async () => {
    const noKey = await runCli(['audit', 'verify'], { AGENTD_URL: agentd.server.url });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('needs an admin key: --api-key or AGENTD_API_KEY');
    const badKey = await runCli(['audit', 'verify', '--api-key', 'sk-agentd-wrong'], env);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/^agentd: .*credentials/i);
    const unknown = await runCli(['audit', 'rewrite'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('audit takes one command, verify');
  });
});
