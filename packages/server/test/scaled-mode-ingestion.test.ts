import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentdProcess } from './support/scaled/agentd-process.js';
import { ScaledCluster, waitFor } from './support/scaled/scaled-cluster.js';

// Files are indexed as background jobs on the run queue: an API process only sends them there.
describe('scaled mode: file ingestion runs on the workers', () => {
  let cluster: ScaledCluster;
  let api: AgentdProcess;
  let client: OpenAI;
  /** One object directory for every process, as a shared volume (or S3) gives a deployment. */
  const shared = { AGENTD_DATA_DIR: mkdtempSync(join(tmpdir(), 'agentd-scaled-shared-')) };

  beforeAll(async () => {
    cluster = await ScaledCluster.start();
    api = await cluster.spawn('api', shared);
    client = cluster.openai(api);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    rmSync(shared.AGENTD_DATA_DIR, { recursive: true, force: true });
  });

  it('leaves a file queued while only API processes run, and a worker that starts indexes it', async () => {
    const file = await client.files.create({
      file: await toFile(Buffer.from('The refund window is 45 days for annual plans.'), 'refunds.txt'),
      purpose: 'assistants',
    });
    const store = await client.vectorStores.create({ name: 'policies', file_ids: [file.id] });
    const status = async () =>
      (await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id })).status;
    expect(await status()).toBe('in_progress');
    const [job] = await cluster.query<{ task_identifier: string; key: string }>(
      'SELECT task_identifier, key FROM graphile_worker.jobs',
    );
    expect(job).toEqual({ task_identifier: 'agentd_ingest', key: `ingest:${store.id}/${file.id}` });

    await cluster.spawn('worker', shared);
    await waitFor('the worker to index the file', async () =>
      (await status()) === 'completed' ? true : undefined,
    );
    const page = await client.vectorStores.search(store.id, { query: 'how many days is the refund window' });
    expect(page.data[0]?.content[0]?.text).toContain('45 days');
  });
});
