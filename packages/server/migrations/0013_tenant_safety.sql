-- A tenant's default safety setting (the shape of an agent's `safety` field):
-- under its agents' own settings, over the platform's (AGENTD_SAFETY_POLICY).

CREATE TABLE tenant_safety_settings (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  setting     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
