// Throughput of the local object store, plain and encrypted: put and get of
// one large object streamed from memory, in MB/s. Runs against the build:
//
//   npx tsc -b packages/object-store && node packages/object-store/bench/run.mjs [size in MiB]

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptedObjectStore, Keyring, LocalObjectStore } from '../dist/index.js';

const MiB = 1024 * 1024;
const size = Number(process.argv[2] ?? 256) * MiB;
const chunk = randomBytes(MiB);

async function* body() {
  for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
}

async function drain(stream) {
  let bytes = 0;
  for await (const part of stream) bytes += part.length;
  return bytes;
}

async function measure(name, store) {
  const putStart = performance.now();
  await store.put('bench/object', body());
  const putSeconds = (performance.now() - putStart) / 1000;
  const getStart = performance.now();
  const read = await drain(await store.get('bench/object'));
  const getSeconds = (performance.now() - getStart) / 1000;
  if (read !== size) throw new Error(`${name}: read ${read} bytes, expected ${size}`);
  const rate = (seconds) => `${(size / 1e6 / seconds).toFixed(0).padStart(5)} MB/s`;
  console.log(`${name.padEnd(28)} put ${rate(putSeconds)}   get ${rate(getSeconds)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'agentd-object-store-bench-'));
try {
  console.log(`one ${size / MiB} MiB object, local disk (${dir})`);
  await measure('LocalObjectStore', new LocalObjectStore({ dir: join(dir, 'plain') }));
  const keyring = new Keyring(randomBytes(32));
  await measure(
    'EncryptedObjectStore(local)',
    new EncryptedObjectStore(new LocalObjectStore({ dir: join(dir, 'encrypted') }), keyring),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
