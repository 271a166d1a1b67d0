-- What each tenant spends: one row per model call (any route: Responses,
-- Chat Completions, the safety judge, embeddings) and per tool call that ran,
-- with tokens and cost at the price of the day. Budgets sum these rows; GET
-- /v1/usage groups them. Rows are never updated.

CREATE TABLE usage_records (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('model_call', 'tool_call', 'embedding', 'safety_judge')),
  -- The end user (a token's user, else the request's `user`), the credential, the agent.
  user_id        text,
  api_key_id     text,
  agent          text,
  model          text,
  tool           text,
  response_id    text,
  input_tokens   bigint NOT NULL DEFAULT 0,
  output_tokens  bigint NOT NULL DEFAULT 0,
  cost_usd       double precision NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_records_tenant_time_idx ON usage_records (tenant_id, created_at);
CREATE INDEX usage_records_user_time_idx ON usage_records (tenant_id, user_id, created_at)
  WHERE user_id IS NOT NULL;
CREATE INDEX usage_records_time_idx ON usage_records (created_at);
-- A run's own spend, for its budget (also after it resumed on another worker).
CREATE INDEX usage_records_response_idx ON usage_records (response_id) WHERE response_id IS NOT NULL;

-- A tenant's own limits and budgets (the LimitSettings document), over the
-- server's defaults (AGENTD_LIMITS). Set by platform admins.
CREATE TABLE tenant_limits (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
