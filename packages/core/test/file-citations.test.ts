import type { FileSearchCallItem } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { fileCitationSources, findFileCitations } from '../src/index.js';

const search = (results: FileSearchCallItem['results']): FileSearchCallItem => ({
  type: 'file_search_call',
  id: 'fs_1',
  queries: ['refunds'],
  status: 'completed',
  results,
});

describe('file citations', () => {
  it('names the cited passage’s vector store and chunk, as its result does', () => {
    const sources = fileCitationSources([
      search([
        {
          file_id: 'file_a',
          filename: 'a.txt',
          score: 0.9,
          text: 'A',
          vector_store_id: 'vs_1',
          chunk_index: 4,
        },
        {
          file_id: 'file_b',
          filename: 'b.txt',
          score: 0.5,
          text: 'B',
          vector_store_id: 'vs_1',
          chunk_index: 0,
        },
      ]),
    ]);
    expect(findFileCitations('See [2] and [1]; [3] is no passage.', sources)).toEqual([
      {
        type: 'file_citation',
        file_id: 'file_b',
        filename: 'b.txt',
        index: 7,
        vector_store_id: 'vs_1',
        chunk_index: 0,
      },
      {
        type: 'file_citation',
        file_id: 'file_a',
        filename: 'a.txt',
        index: 15,
        vector_store_id: 'vs_1',
        chunk_index: 4,
      },
    ]);
  });

  it('leaves the chunk out when the result has none (an item a client sent back)', () => {
    const sources = fileCitationSources([
      search([{ file_id: 'file_a', filename: 'a.txt', score: 1, text: 'A' }]),
    ]);
    const [citation] = findFileCitations('It says so [1].', sources);
    expect(citation).toStrictEqual({
      type: 'file_citation',
      file_id: 'file_a',
      filename: 'a.txt',
      index: 14,
    });
  });
});
