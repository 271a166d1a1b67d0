/**
 * Cedar's `read_file` on a vector store search (POST /v1/vector_stores/{id}/search),
 * which hands the caller passages of the store's files: a forbid naming the
 * store refuses the search (403 naming the policy), one naming a file leaves
 * its passages out; each denial is audited. Official `openai` client.
 */
import type OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { indexedStore, readFilePolicies } from './support/read-file-policies.js';

describe('read_file policies on vector store searches (pglite)', () => {
  const suite = fakeModelSuite({ backend: 'pglite' }, { maxRetries: 0 });
  let storeId: string;
  let payroll: string;
  let handbook: string;
  let policies: ReturnType<typeof readFilePolicies>;

  const searched = async () =>
    (await suite.client.vectorStores.search(storeId, { query: 'salaries crowns leave', max_num_results: 10 }))
      .data;

  beforeAll(async () => {
    policies = readFilePolicies(suite.api);
    const indexed = await indexedStore(suite.client, 'hr', {
      'payroll.txt': 'Salaries: Ada earns 9100 crowns a month.',
      'handbook.txt': 'Salaries and holidays: everyone gets 30 days of leave a year.',
    });
    storeId = indexed.storeId;
    payroll = indexed.fileIds['payroll.txt'];
    handbook = indexed.fileIds['handbook.txt'];
  });

  it('leaves out the passages of a file a forbid names, and audits it', async () => {
    expect((await searched()).map((hit) => hit.file_id).sort()).toEqual([payroll, handbook].sort());
    const policyId = await policies.forbid('payroll-is-private', `Agentd::File::"${payroll}"`);
    try {
      expect((await searched()).map((hit) => hit.file_id)).toEqual([handbook]);
      const audit = await suite.api.get(
        `/v1/audit_events?event_types[]=policy.denied&resource_ids[]=${payroll}`,
      );
      expect(audit.body.data[0]).toMatchObject({
        resource: { type: 'file', id: payroll },
        'policy.denied': { action: 'read_file', policy_id: policyId },
      });
    } finally {
      await policies.remove(policyId);
    }
  });

  it('refuses a search of a vector store a forbid names, naming the policy', async () => {
    const policyId = await policies.forbid('hr-store-closed', `Agentd::VectorStore::"${storeId}"`);
    try {
      const refused = await searched().then(
        () => undefined,
        (error: InstanceType<typeof OpenAI.APIError>) => ({ status: error.status, message: error.message }),
      );
      expect(refused?.status).toBe(403);
      expect(refused?.message).toContain(
        `You may not read vector store '${storeId}': policy 'hr-store-closed' (${policyId}) forbids it`,
      );
    } finally {
      await policies.remove(policyId);
    }
    expect(await searched()).toHaveLength(2);
  });
});
