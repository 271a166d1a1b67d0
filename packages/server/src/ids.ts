import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let used = POOL_SIZE;

/**
 * ulid's default generator asks the CSPRNG for one byte per character (16
 * system calls an id, a run makes dozens of ids); this one draws the same
 * bytes from a pool refilled a page at a time.
 */
function pooledRandom(): number {
  if (used === POOL_SIZE) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++]! / 256;
}

const next = monotonicFactory(pooledRandom);

/** Resource id prefixes. Ids sort by creation time, which cursor pagination relies on. */
export const ID_PREFIX = {
  tenant: 'tenant',
  apiKey: 'key',
  agent: 'agent',
  conversation: 'conv',
  message: 'msg',
  functionCall: 'fc',
  functionCallOutput: 'fco',
  response: 'resp',
  reasoning: 'rs',
  approvalRequest: 'apr',
  approvalResponse: 'aprr',
  tool: 'tool',
  secret: 'secret',
  file: 'file',
  vectorStore: 'vs',
  fileBatch: 'vsfb',
  memory: 'mem',
  upload: 'upl',
  auditEvent: 'audit',
  policy: 'pol',
  codeInterpreterCall: 'ci',
  webSearchCall: 'ws',
  fileSearchCall: 'fs',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${next().toLowerCase()}`;
}

/** A random token of `bytes` bytes, base64url encoded. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
