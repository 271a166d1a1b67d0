/**
 * Both artifact stores under the ArtifactStore contract: the discarding one,
 * and the files-backed one on PGlite and PostgreSQL with a local object store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStore } from '@agentd/object-store';
import { AgentdError } from '@agentd/spec';
import { BACKENDS, type MigratedDatabase, openMigratedDatabase } from '@agentd/test-server';
import { describeArtifactStoreContract } from '@agentd/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import { FileArtifactStore } from '../src/files/file-artifact-store.js';
import { FileLinks } from '../src/files/file-links.js';
import { FileService } from '../src/files/file-service.js';
import type { Database } from '../src/storage/database.js';
import { DiscardingArtifactStore } from '../src/tools/builtins/artifact-store.js';

const TENANTS = ['tenant_artifacts_a', 'tenant_artifacts_b'] as const;
const MAX_BYTES = 64 * 1024;

describeArtifactStoreContract('DiscardingArtifactStore', () => ({
  store: new DiscardingArtifactStore(pino({ level: 'silent' })),
  tenants: TENANTS,
}));

describe.each(BACKENDS)('FileArtifactStore on %s', (backend) => {
  let db: Database;
  let database: MigratedDatabase | undefined;
  let dir: string;
  let files: FileService;
  let links: FileLinks;

  beforeAll(async () => {
    database = await openMigratedDatabase(backend, { tenants: TENANTS });
    db = database.db;
    dir = await mkdtemp(join(tmpdir(), 'agentd-artifacts-'));
    files = new FileService(db, new LocalObjectStore({ dir }), {
      maxFileBytes: MAX_BYTES,
      tenantQuotaBytes: 100 * MAX_BYTES,
    });
    links = new FileLinks({
      masterKey: Buffer.alloc(32, 3),
      ttlSeconds: 600,
      fallbackUrl: 'http://127.0.0.1:8080',
    });
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describeArtifactStoreContract(`files (${backend})`, () => ({
    store: new FileArtifactStore(files, links),
    tenants: TENANTS,
    maxBytes: MAX_BYTES,
    async read(tenantId, fileId) {
      try {
        const { file, bytes } = await files.readAll(tenantId, fileId);
        return { filename: file.filename, contentType: file.contentType ?? '', bytes };
      } catch (error) {
        if (error instanceof AgentdError && error.category === 'not_found') return undefined;
        throw error;
      }
    },
  }));
});
