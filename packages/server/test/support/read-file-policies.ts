import type { ApiClient } from '@agentd/testing';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { expect } from 'vitest';

/** Writes and removes tenants' `read_file` forbids through the API, checking each answer. */
export function readFilePolicies(api: ApiClient) {
  return {
    /** Forbids `read_file` on a Cedar resource (`Agentd::File::"…"`); resolves to the policy's id. */
    async forbid(name: string, resource: string): Promise<string> {
      const created = await api.post('/v1/policies', {
        name,
        policy: `forbid (principal, action == Agentd::Action::"read_file", resource == ${resource});`,
      });
      expect(created.status).toBe(200);
      return created.body.id as string;
    },
    async remove(id: string): Promise<void> {
      expect((await api.delete(`/v1/policies/${id}`)).status).toBe(200);
    },
  };
}

/** Uploads each text file (by file name) and indexes it into a new vector store named `name`. */
export async function indexedStore<Name extends string>(
  client: OpenAI,
  name: string,
  files: Record<Name, string>,
): Promise<{ storeId: string; fileIds: Record<Name, string> }> {
  const fileIds = {} as Record<Name, string>;
  for (const [filename, text] of Object.entries(files) as [Name, string][]) {
    const file = await client.files.create({
      file: await toFile(Buffer.from(text), filename),
      purpose: 'assistants',
    });
    fileIds[filename] = file.id;
  }
  const storeId = (await client.vectorStores.create({ name })).id;
  for (const fileId of Object.values<string>(fileIds)) {
    const indexed = await client.vectorStores.files.createAndPoll(
      storeId,
      { file_id: fileId },
      { pollIntervalMs: 50 },
    );
    expect(indexed.status).toBe('completed');
  }
  return { storeId, fileIds };
}
