import { type S3TestServer, startS3TestServer } from '@agentd/testing';
import { afterAll, beforeAll } from 'vitest';
import { LocalObjectStore } from '../src/index.js';
import { encrypted, s3Store, temporaryDir } from './support/fixtures.js';
import { describeObjectStoreContract } from './support/object-store-contract.js';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(() => s3?.close());

describeObjectStoreContract('LocalObjectStore', async () => {
  const temp = await temporaryDir();
  return { store: new LocalObjectStore({ dir: temp.dir }), close: temp.remove };
});

describeObjectStoreContract('S3ObjectStore (s3rver)', async () => ({
  store: s3Store(s3, 'contract-plain'),
  close: async () => {},
}));

describeObjectStoreContract('EncryptedObjectStore over LocalObjectStore', async () => {
  const temp = await temporaryDir();
  return { store: encrypted(new LocalObjectStore({ dir: temp.dir })), close: temp.remove };
});

describeObjectStoreContract('EncryptedObjectStore over S3ObjectStore (s3rver)', async () => ({
  store: encrypted(s3Store(s3, 'contract-encrypted')),
  close: async () => {},
}));
