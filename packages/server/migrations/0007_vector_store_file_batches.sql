-- Batches of files added to a vector store together (OpenAI's file_batches),
-- and the chunking a file was added with when it is not its store's.
--
-- A batch's status and counts are not stored: they are read from its files'
-- rows, so they can never disagree with them. `cancelled_at` records the
-- cancel; the files still in progress then were marked cancelled.

ALTER TABLE vector_store_files ADD COLUMN chunking jsonb;

CREATE TABLE vector_store_file_batches (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  vector_store_id  text NOT NULL REFERENCES vector_stores(id) ON DELETE CASCADE,
  cancelled_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vector_store_file_batches_store_idx ON vector_store_file_batches (tenant_id, vector_store_id, id);

-- A file removed from its store leaves the batch too.
CREATE TABLE vector_store_file_batch_files (
  batch_id         text NOT NULL REFERENCES vector_store_file_batches(id) ON DELETE CASCADE,
  vector_store_id  text NOT NULL,
  file_id          text NOT NULL,
  PRIMARY KEY (batch_id, file_id),
  FOREIGN KEY (vector_store_id, file_id) REFERENCES vector_store_files (vector_store_id, file_id) ON DELETE CASCADE
);
CREATE INDEX vector_store_file_batch_files_file_idx ON vector_store_file_batch_files (vector_store_id, file_id);
