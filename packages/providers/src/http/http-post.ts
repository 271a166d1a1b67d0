// The contract is in spec; undici-post.ts and fetch-post.ts implement it.
export type { ByteReader, HttpAnswer, HttpPost, HttpPostInit } from '@agentd/spec';
