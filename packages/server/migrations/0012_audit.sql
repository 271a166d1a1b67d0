-- The audit log (ADR-0021): every action of consequence, append-only and
-- hash-chained per tenant. Each row carries the hash of the row before it in
-- its tenant's chain (`prev_hash`) and its own (`hash`, SHA-256 over the
-- RFC 8785 canonical JSON of its fields and `prev_hash`), so an edited,
-- inserted or deleted row breaks every link after it.
--
-- Rows are written in the transaction of the change they record. The chain
-- head (the last sequence and hash of each tenant) is locked while a writer
-- appends, so concurrent writers of one tenant queue and never fork the chain.
--
-- No foreign key to tenants: an audit trail outlives what it describes.

CREATE TABLE audit_events (
  tenant_id      text NOT NULL,
  sequence       bigint NOT NULL CHECK (sequence >= 1),
  id             text NOT NULL,
  type           text NOT NULL,
  effective_at   timestamptz NOT NULL,
  actor_id       text,
  actor          json NOT NULL,
  resource_type  text,
  resource_id    text,
  payload        json NOT NULL,
  prev_hash      text NOT NULL,
  hash           text NOT NULL,
  PRIMARY KEY (tenant_id, sequence),
  UNIQUE (tenant_id, id)
);
CREATE INDEX audit_events_type_idx ON audit_events (tenant_id, type, sequence);
CREATE INDEX audit_events_actor_idx ON audit_events (tenant_id, actor_id, sequence);
CREATE INDEX audit_events_resource_idx ON audit_events (tenant_id, resource_id, sequence);
CREATE INDEX audit_events_time_idx ON audit_events (tenant_id, effective_at);

CREATE TABLE audit_chain_heads (
  tenant_id  text PRIMARY KEY,
  sequence   bigint NOT NULL,
  hash       text NOT NULL
);

-- Append-only: the application never updates or deletes an audit row, and
-- the database refuses it. (A superuser can still disable the trigger; the
-- chain is what shows that someone did.)
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
