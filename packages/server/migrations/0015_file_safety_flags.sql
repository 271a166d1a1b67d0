-- Safety flags stored when a file is indexed (issue 13), instead of computed on every search.
--
-- chunks.flags: the injection categories the safety checks (rules and classifier, the `file`
-- surface) found in the passage when it was indexed; '{}' when none. NULL for chunks indexed
-- before this migration: those are still checked when they are searched.
ALTER TABLE chunks ADD COLUMN flags text[];

-- vector_store_files.flagged_chunks: how many of the file's chunks were flagged, shown on the
-- vector store file; NULL for files indexed before this migration (not known until re-indexed).
ALTER TABLE vector_store_files ADD COLUMN flagged_chunks integer;
