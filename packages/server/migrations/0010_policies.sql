-- Tenants' Cedar authorization policies (one statement each), their
-- immutable versions, and a per-tenant version of the whole set that every
-- change bumps in the same transaction: processes compare it with the set
-- they compiled to see another process's change.

CREATE TABLE policies (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name         text NOT NULL,
  description  text,
  policy       text NOT NULL,
  effect       text NOT NULL,
  actions      jsonb NOT NULL,
  version      integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX policies_tenant_idx ON policies (tenant_id, id);

CREATE TABLE policy_versions (
  policy_id    text NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  version      integer NOT NULL,
  name         text NOT NULL,
  description  text,
  policy       text NOT NULL,
  effect       text NOT NULL,
  actions      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE tenant_policy_sets (
  tenant_id    text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  version      bigint NOT NULL
);
