import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

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
  memory: 'mem',
  upload: 'upl',
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
