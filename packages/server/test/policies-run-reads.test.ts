/**
 * Cedar's `read_file` on what runs read through built-in tools: a forbid
 * naming a file (or a vector store) keeps its passages out of file_search
 * and the file out of the code interpreter's /mnt/data; the model reads
 * which and why (the policy named), and the audit log records the denial.
 * Official `openai` client, fake model, on PGlite and PostgreSQL.
 */

import type OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { indexedStore, readFilePolicies } from './support/read-file-policies.js';

const PAYROLL = 'Salaries: Ada earns 9100 crowns a month and Grace earns 9300 crowns a month.';
const HANDBOOK = 'Salaries and holidays: everyone gets 30 days of leave a year, salaries are paid monthly.';

type ToolMessage = { role: string; content: string };
type AuditView = Record<string, unknown> & { type: string; resource: { type: string; id: string } | null };

describe.each(['pglite', 'postgres'] as const)('read_file on reads inside runs (%s)', (backend) => {
  const suite = fakeModelSuite({ backend });
  let storeId: string;
  let payroll: string;
  let handbook: string;
  let policies: ReturnType<typeof readFilePolicies>;

  /** What the model was given back for its one tool call of the last response. */
  const toolOutput = () => {
    const messages = (suite.fake.requests.at(-1)?.body.messages ?? []) as ToolMessage[];
    return messages.find((message) => message.role === 'tool')?.content ?? '';
  };
  const denials = async (resourceId: string): Promise<AuditView[]> => {
    const page = await suite.api.get(
      `/v1/audit_events?event_types[]=policy.denied&resource_ids[]=${resourceId}&limit=100`,
    );
    expect(page.status).toBe(200);
    return page.body.data;
  };
  const search = async (query: string) => {
    suite.fake.enqueue(
      { toolCalls: [{ id: 'fs1', name: 'file_search', arguments: JSON.stringify({ query }) }] },
      { text: 'Done.' },
    );
    const response = await suite.client.responses.create({
      model: 'fake-model',
      input: query,
      tools: [{ type: 'file_search', vector_store_ids: [storeId], max_num_results: 5 }],
      include: ['file_search_call.results'],
    });
    expect(response.status).toBe('completed');
    const call = response.output.find((item) => item.type === 'file_search_call');
    return { response, results: (call?.type === 'file_search_call' ? call.results : null) ?? [] };
  };

  beforeAll(async () => {
    policies = readFilePolicies(suite.api);
    const indexed = await indexedStore(suite.client, 'hr', {
      'payroll.txt': PAYROLL,
      'handbook.txt': HANDBOOK,
    });
    storeId = indexed.storeId;
    payroll = indexed.fileIds['payroll.txt'];
    handbook = indexed.fileIds['handbook.txt'];
  });

  it('reads every passage while no policy governs read_file', async () => {
    const { results } = await search('salaries crowns leave');
    expect(results.map((result) => result.file_id).sort()).toEqual([payroll, handbook].sort());
    expect(toolOutput()).toContain('Ada earns 9100 crowns');
  });

  it('leaves a forbidden file out of file_search, tells the model which policy, and audits the denial', async () => {
    const policyId = await policies.forbid('payroll-is-private', `Agentd::File::"${payroll}"`);
    try {
      const { response, results } = await search('salaries crowns leave');
      expect(results.map((result) => result.file_id)).toEqual([handbook]);
      const output = toolOutput();
      expect(output).toContain('30 days of leave');
      expect(output).not.toContain('9100');
      expect(output).toContain(`file ${payroll}: policy 'payroll-is-private' (${policyId}) forbids it`);
      const [denial] = await denials(payroll);
      expect(denial).toMatchObject({
        resource: { type: 'file', id: payroll },
        'policy.denied': {
          action: 'read_file',
          policy_id: policyId,
          response_id: response.id,
          tool: 'file_search',
          agent: 'default',
        },
        actor: { type: 'api_key' },
      });
    } finally {
      await policies.remove(policyId);
    }
  });

  it('does not search a vector store a forbid names', async () => {
    const policyId = await policies.forbid('hr-store-closed', `Agentd::VectorStore::"${storeId}"`);
    try {
      const { results } = await search('salaries crowns leave');
      expect(results).toEqual([]);
      const output = toolOutput();
      expect(output).not.toContain('9100');
      expect(output).not.toContain('30 days');
      expect(output).toContain(`vector store ${storeId}: policy 'hr-store-closed' (${policyId}) forbids it`);
      expect((await denials(storeId)).length).toBeGreaterThan(0);
    } finally {
      await policies.remove(policyId);
    }
  });

  it('keeps a forbidden file out of the code interpreter and mounts the others', async () => {
    const policyId = await policies.forbid('payroll-is-private', `Agentd::File::"${payroll}"`);
    try {
      suite.fake.enqueue(
        {
          toolCalls: [
            {
              id: 'ci1',
              name: 'code_interpreter',
              arguments: JSON.stringify({
                code: "import os\nprint('files:', sorted(os.listdir('/mnt/data')))",
              }),
            },
          ],
        },
        { text: 'Done.' },
      );
      const response = await suite.client.responses.create({
        model: 'fake-model',
        input: 'List the files.',
        tools: [
          {
            type: 'code_interpreter',
            runtime: 'cpython',
            container: { type: 'auto', file_ids: [payroll, handbook] },
          } as unknown as OpenAI.Responses.Tool,
        ],
      });
      expect(response.status).toBe('completed');
      const output = toolOutput();
      expect(output).toContain("files: ['handbook.txt']");
      expect(output).toContain(`file ${payroll}: policy 'payroll-is-private' (${policyId}) forbids it`);
      expect(output).toContain('not placed under /mnt/data');
      const audited = await denials(payroll);
      expect(
        audited.some((event) => (event['policy.denied'] as { tool?: string }).tool === 'code_interpreter'),
      ).toBe(true);
    } finally {
      await policies.remove(policyId);
    }
  }, 120_000);
});
