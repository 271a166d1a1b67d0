import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3TestServer } from '@agentd/testing';
import { EncryptedObjectStore, Keyring, type ObjectStore, S3ObjectStore } from '../../src/index.js';

// The SDK warns once per process that its 2027 releases will need Node.js 22; the tests know.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export async function temporaryDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'agentd-object-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An S3ObjectStore on the test server, under its own key prefix; `port` routes it through a proxy. */
export function s3Store(server: S3TestServer, prefix: string, port = server.port): S3ObjectStore {
  return new S3ObjectStore({
    bucket: server.bucket,
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    prefix,
  });
}

export function encrypted(inner: ObjectStore, keyring = new Keyring(randomBytes(32))): EncryptedObjectStore {
  return new EncryptedObjectStore(inner, keyring);
}
