-- A tenant's own network rules for tools (allow and deny lists, in the
-- syntax of AGENTD_NET_ALLOW), added to the server-wide ones. Set by platform
-- admins only: an allow rule opens addresses the server otherwise blocks.

CREATE TABLE tenant_network_rules (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  allow       jsonb NOT NULL DEFAULT '[]'::jsonb,
  deny        jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
