-- Leases on runs (ADR-0015): a worker holds a run while it executes it, and
-- keeps extending the lease; a lease that runs out (the worker died or
-- stalled) makes the run claimable again. Every claim raises the generation,
-- and a writer's events are accepted only while the row still carries its
-- generation (fencing), so a worker that lost its lease cannot write.
--
-- Expiry is always computed with the database's clock (now()), never a
-- process's, so workers on different machines agree on it.

ALTER TABLE responses ADD COLUMN lease_owner text;
ALTER TABLE responses ADD COLUMN lease_generation integer NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN lease_expires_at timestamptz;
-- Claims counted against the run's limit (a claim handed back on drain is not).
ALTER TABLE responses ADD COLUMN claims integer NOT NULL DEFAULT 0;

-- The sweeper's question: which unfinished runs have a lease that ran out?
CREATE INDEX responses_lease_expiry_idx ON responses (lease_expires_at)
  WHERE status IN ('queued', 'in_progress');
