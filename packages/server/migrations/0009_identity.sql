-- Authentication beside API keys (README: Connecting an identity provider).

-- A key may be limited to scopes (`responses:write`, `agents:read`, ...);
-- NULL means the full set of its role.
ALTER TABLE api_keys ADD COLUMN scopes jsonb;

-- Each tenant's OpenID Connect provider: tokens whose `iss` and `aud` match
-- authenticate into this tenant. One issuer and audience names one tenant.
CREATE TABLE tenant_identity_providers (
  tenant_id     text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  issuer        text NOT NULL,
  audience      text NOT NULL,
  claims        jsonb NOT NULL,
  role_map      jsonb NOT NULL DEFAULT '{}'::jsonb,
  default_role  text CHECK (default_role IN ('admin', 'member')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer, audience)
);

-- Keys agentd signs its own tokens with (PASETO v4.public session tokens).
-- The secret half is sealed with the master key, like tenants' secrets.
CREATE TABLE signing_keys (
  id             text PRIMARY KEY,
  public_key     text NOT NULL,
  sealed_secret  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
