-- Files (bytes live in the object store, encrypted; rows hold what the API shows),
-- vector stores with their chunks, the embedding cache, and long-term memory.
--
-- Embeddings are stored in one column whatever their dimension. With pgvector
-- it is an untyped `vector`, and HNSW indexes are partial expression indexes
-- per dimension (created at start for the configured embedder); without
-- pgvector (a PostgreSQL server lacking the extension) it is `real[]` and
-- search is exact. The DO block at the end picks the type.

CREATE TABLE files (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  filename      text NOT NULL,
  purpose       text NOT NULL,
  bytes         bigint NOT NULL,
  content_type  text,
  sha256        text NOT NULL,
  object_key    text NOT NULL,
  -- Set for files a tool produced (code interpreter output, screenshots).
  response_id   text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_tenant_idx ON files (tenant_id, id);

-- Bytes reserved by uploads in flight, so that concurrent uploads cannot overrun the quota.
CREATE TABLE file_upload_reservations (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  bytes       bigint NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX file_upload_reservations_tenant_idx ON file_upload_reservations (tenant_id);

CREATE TABLE vector_stores (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name            text,
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  chunking        jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_active_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vector_stores_tenant_idx ON vector_stores (tenant_id, id);

CREATE TABLE vector_store_files (
  vector_store_id  text NOT NULL REFERENCES vector_stores(id) ON DELETE CASCADE,
  file_id          text NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  status           text NOT NULL CHECK (status IN ('in_progress', 'completed', 'failed', 'cancelled')),
  last_error       jsonb,
  attributes       jsonb NOT NULL DEFAULT '{}'::jsonb,
  chunk_count      integer NOT NULL DEFAULT 0,
  usage_bytes      bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (vector_store_id, file_id)
);
CREATE INDEX vector_store_files_tenant_idx ON vector_store_files (tenant_id, vector_store_id, file_id);
CREATE INDEX vector_store_files_file_idx ON vector_store_files (file_id);
CREATE INDEX vector_store_files_pending_idx ON vector_store_files (status) WHERE status = 'in_progress';

CREATE TABLE chunks (
  id               bigserial PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  vector_store_id  text NOT NULL,
  file_id          text NOT NULL,
  chunk_index      integer NOT NULL,
  text             text NOT NULL,
  tokens           integer NOT NULL,
  tsv              tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
  dims             integer NOT NULL,
  FOREIGN KEY (vector_store_id, file_id) REFERENCES vector_store_files (vector_store_id, file_id) ON DELETE CASCADE
);
CREATE INDEX chunks_store_idx ON chunks (vector_store_id, file_id, chunk_index);
CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv);

-- Embeddings by content hash, per tenant: a text embedded once is not embedded again.
CREATE TABLE embedding_cache (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key         text NOT NULL,
  embedding   real[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

-- A user's opt-in to long-term memory; without it nothing is remembered about them.
CREATE TABLE memory_consents (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id     text NOT NULL,
  enabled     boolean NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE memories (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id      text NOT NULL,
  text         text NOT NULL,
  -- The embedding cache key of the text, so that erasure removes the cached vector too.
  cache_key    text NOT NULL,
  tsv          tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
  dims         integer NOT NULL,
  response_id  text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX memories_user_idx ON memories (tenant_id, user_id, id);
CREATE INDEX memories_tsv_idx ON memories USING gin (tsv);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    EXECUTE 'ALTER TABLE chunks ADD COLUMN embedding vector NOT NULL';
    EXECUTE 'ALTER TABLE memories ADD COLUMN embedding vector NOT NULL';
  ELSE
    EXECUTE 'ALTER TABLE chunks ADD COLUMN embedding real[] NOT NULL';
    EXECUTE 'ALTER TABLE memories ADD COLUMN embedding real[] NOT NULL';
  END IF;
END
$$;
