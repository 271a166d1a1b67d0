-- An audit event's id names its place in its tenant's chain (ADR-0021,
-- amendment "ids that carry their sequence"): `audit_<sequence>_<16 hex>`.
-- The cursor of GET /v1/audit_events (`after`) then finds its row through
-- the primary key (tenant_id, sequence), and the unique (tenant_id, id)
-- B-tree, a descent on every audit row written, is no longer needed for new
-- rows: two rows of a tenant cannot share an id without sharing a sequence,
-- which the primary key refuses. Rows written before keep their ULID ids
-- (`audit_` and 26 characters, no second underscore), and the index keeps
-- them alone: new rows do not match its predicate and are never written to
-- it. audit-query.ts writes the same predicate to read it.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_tenant_id_id_key;
CREATE UNIQUE INDEX audit_events_legacy_id_idx ON audit_events (tenant_id, id)
  WHERE id NOT LIKE 'audit\_%\_%';
