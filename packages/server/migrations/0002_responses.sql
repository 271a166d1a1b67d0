-- Responses (runs) and their append-only event logs.

CREATE TABLE responses (
  id                    text PRIMARY KEY,
  tenant_id             text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- The status as of the snapshot: queued until the run ends, then final.
  status                text NOT NULL,
  -- The response object as of event `snapshot_sequence`; the current one is it
  -- folded with the events after. Written at creation and when the run ends.
  -- These documents are json, not jsonb: never queried into, and json keeps
  -- the key order clients see.
  snapshot              json NOT NULL,
  snapshot_sequence     integer NOT NULL DEFAULT 0,
  -- This response's input items, with ids.
  input                 json NOT NULL,
  -- The history the run saw before its input (conversation or previous response chain).
  history               json NOT NULL,
  -- Everything needed to run or resume it: model, settings, tools, limits (schema-versioned).
  run_spec              json NOT NULL,
  conversation_id       text REFERENCES conversations(id) ON DELETE SET NULL,
  previous_response_id  text,
  idempotency_key       text,
  request_hash          text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX responses_tenant_idx ON responses (tenant_id, id);
CREATE INDEX responses_active_idx ON responses (status) WHERE status IN ('queued', 'in_progress');
CREATE UNIQUE INDEX responses_idempotency_idx ON responses (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The append-only event log, one row per batch of events (a batch is what one
-- write persisted: about one 20 ms frame), which keeps writes cheap.
CREATE TABLE response_event_batches (
  response_id      text NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  -- Deleted with its response (and so with its tenant).
  tenant_id        text NOT NULL,
  first_sequence   integer NOT NULL,
  last_sequence    integer NOT NULL,
  events           json NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (response_id, last_sequence)
);
