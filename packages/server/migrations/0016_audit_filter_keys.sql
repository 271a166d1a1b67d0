-- The audit log's filters from one index (ADR-0021, amendment "one filter index").
--
-- Every audit row was written into six B-trees: the primary key, the unique
-- id, and one per filter of GET /v1/audit_events (type, actor, resource,
-- time). Each insert paid a descent of each; in embedded mode that is the
-- server's own CPU, on every tool call of every run. The type, actor and
-- resource indexes become one GIN index over the row's filter keys, each
-- prefixed with its tenant and what it names (GIN has no B-tree column to
-- lead with the tenant). Its pending list takes new rows in one append and
-- sorts them into the index in bulk, and one index serves any combination of
-- the three filters (a bitmap AND), where a B-tree served one and filtered
-- the rest. audit-query.ts writes the same expression; the precise column
-- conditions stay beside it, so a key never decides a match on its own.
DROP INDEX audit_events_type_idx;
DROP INDEX audit_events_actor_idx;
DROP INDEX audit_events_resource_idx;
CREATE INDEX audit_events_filter_keys_idx ON audit_events USING gin ((ARRAY[
  tenant_id || ' type ' || type,
  tenant_id || ' actor ' || actor_id,
  tenant_id || ' resource ' || resource_id
]));
