-- Secrets a tenant stores for its tools (API keys for HTTP and OpenAPI tools),
-- encrypted with AES-256-GCM under the master key. Values are never returned.

CREATE TABLE secrets (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        text NOT NULL,
  ciphertext  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
