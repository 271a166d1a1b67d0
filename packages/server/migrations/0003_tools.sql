-- Tools registered through the API, per tenant. Tool-directory and built-in
-- tools are server-wide and live in memory only.

CREATE TABLE tools (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        text NOT NULL,
  manifest    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX tools_tenant_idx ON tools (tenant_id, id);
