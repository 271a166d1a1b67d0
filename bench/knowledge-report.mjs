// The knowledge benchmark's printed tables.

import { K } from './knowledge-search.mjs';
import { ms, table } from './knowledge-stats.mjs';

export function printCheckpoint(result) {
  const { chunks, ingestion, search } = result;
  const { pipeline, bulk } = ingestion;
  console.log(`\n== ${chunks} chunks ==`);
  console.log(
    table(
      ['ingestion', 'chunks', 'chunks/s', 'detail'],
      [
        [
          'pipeline (upload excluded)',
          pipeline.chunks,
          pipeline.chunks_per_s,
          `${pipeline.files} files, extract+chunk+embed(cache)+insert into live HNSW, ${pipeline.ingest_s} s; upload ${pipeline.upload_mib_per_s} MiB/s`,
        ],
        [
          'bulk, pre-embedded',
          bulk.chunks,
          bulk.chunks_per_s,
          `generate+chunk+embed ${bulk.prep_s} s, ChunkIndex.replace ${bulk.insert_s} s (${bulk.insert_chunks_per_s}/s), no index`,
        ],
        [
          `HNSW build (m=${ingestion.hnsw_build.m}, ef_construction=${ingestion.hnsw_build.ef_construction})`,
          chunks,
          '-',
          `${ingestion.hnsw_build_s} s, maintenance_work_mem ${ingestion.hnsw_build.maintenance_work_mem}`,
        ],
        ['ANALYZE (ChunkIndex.analyzeIfGrown, during bulk load)', chunks, '-', `${ingestion.analyze_s} s`],
        [
          'storage',
          chunks,
          '-',
          `chunks table ${ingestion.chunks_table_mib} MiB, HNSW index ${ingestion.hnsw_index_mib} MiB`,
        ],
      ],
    ),
  );
  console.log('');
  const rows = [
    [
      'hybrid (API: VectorStoreService.search)',
      search.hybrid.n,
      ms(search.hybrid.p50),
      ms(search.hybrid.p95),
      '-',
      yes(search.hybrid.uses_hnsw),
    ],
    [
      'vector (ChunkIndex.search, ranker none)',
      search.vector.n,
      ms(search.vector.p50),
      ms(search.vector.p95),
      search.vector.recall.toFixed(3),
      yes(search.vector.uses_hnsw),
    ],
    ...search.hnsw.map((run) => [
      `raw top-${K} by distance, ef_search=${run.ef_search}`,
      run.n,
      ms(run.p50),
      ms(run.p95),
      run.recall.toFixed(3),
      yes(run.uses_hnsw),
    ]),
    [
      'exact (index scans off)',
      search.exact.n,
      ms(search.exact.p50),
      ms(search.exact.p95),
      search.exact.recall.toFixed(3),
      yes(search.exact.uses_hnsw),
    ],
  ];
  console.log(table(['search', 'queries', 'p50', 'p95', `recall@${K}`, 'HNSW in plan'], rows));
  const enough = search.hnsw.find((run) => run.recall >= 0.95 && run.p95 < 50);
  console.log(
    enough
      ? `smallest swept ef_search with recall@${K} >= 0.95 and p95 < 50 ms: ${enough.ef_search}`
      : `no swept ef_search reaches recall@${K} >= 0.95 with p95 < 50 ms`,
  );
}

const yes = (value) => (value ? 'yes' : 'no');
