-- Tenants, API keys, agents (with versions), conversations and their items.
-- Every row but a tenant's own belongs to a tenant and is deleted with it.

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('platform_admin', 'admin', 'member')),
  key_hash      text NOT NULL UNIQUE,
  redacted      text NOT NULL,
  bootstrap     boolean NOT NULL DEFAULT false,
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, id);
-- At most one bootstrap (first-start) key per tenant, so two servers starting together create one.
CREATE UNIQUE INDEX api_keys_bootstrap_idx ON api_keys (tenant_id) WHERE bootstrap;

CREATE TABLE agents (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        text NOT NULL,
  version     integer NOT NULL,
  definition  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX agents_tenant_idx ON agents (tenant_id, id);

CREATE TABLE agent_versions (
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  agent_id    text NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  version     integer NOT NULL,
  name        text NOT NULL,
  definition  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, version)
);

CREATE TABLE conversations (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_tenant_idx ON conversations (tenant_id, id);

CREATE TABLE conversation_items (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id  text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  -- Order within the conversation; ids alone could tie across processes.
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  type             text NOT NULL,
  data             jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_items_order_idx ON conversation_items (conversation_id, seq);
