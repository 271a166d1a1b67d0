import { describeHttpPostContract } from '@agentd/testing';
import { fetchPost } from '../src/http/fetch-post.js';
import { undiciPost } from '../src/http/undici-post.js';

describeHttpPostContract('undiciPost', undiciPost);
describeHttpPostContract('fetchPost over the global fetch', fetchPost(globalThis.fetch));
