import { formatCount, formatUsd } from './format.js';
import { type LimitSettings, LimitsEditor } from './limits-editor.js';
import { ErrorNote, TableWrap } from './parts.js';
import { useLoad } from './use-load.js';

interface Rate {
  requests: number;
  per_seconds: number;
}
interface Budget {
  tokens?: number;
  cost_usd?: number;
}
interface Settings {
  rate_limits?: Partial<Record<'tenant' | 'api_key' | 'user' | 'tool', Rate | null>>;
  tool_quotas?: { tool: string; per: 'tenant' | 'user'; calls_per_day: number }[] | null;
  budgets?: { period?: 'day' | 'month' } & Partial<Record<'tenant' | 'user' | 'run', Budget | null>>;
}
interface LimitsView {
  tenant: Settings;
  server: Settings;
  effective: Settings;
}

const RATE_SCOPES = [
  ['tenant', 'the tenant'],
  ['api_key', 'each API key'],
  ['user', 'each user'],
  ['tool', 'each tool'],
] as const;
const BUDGET_SCOPES = [
  ['tenant', 'the tenant'],
  ['user', 'each user'],
  ['run', 'each run'],
] as const;

/** Start of the budget period in force (UTC day or month), in Unix seconds. */
function periodStart(period: 'day' | 'month'): number {
  const now = new Date();
  const start =
    period === 'day'
      ? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
      : Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return Math.floor(start / 1000);
}

/** Where a setting comes from: the tenant's own, or the server's default. */
const originOf = (own: unknown, effective: unknown) => {
  if (own === null) return 'lifted by the tenant';
  if (own !== undefined) return 'tenant';
  return effective === undefined ? '—' : 'server default';
};

/** The limits in force for the tenant: rate limits, daily tool quotas and budgets, with what is spent. */
export function LimitsSection() {
  const limits = useLoad(
    (client) => client.limits.retrieve() as Promise<unknown> as Promise<LimitsView>,
    'limits',
  );
  const period = limits.data?.effective.budgets?.period ?? 'day';
  const spent = useLoad(
    (client) => client.usage.retrieve({ start_time: periodStart(period), group_by: '' }),
    `spent-${period}`,
  );
  const total = spent.data?.data[0];
  // Platform admins may set the limits (limits:write); the others read them.
  const me = useLoad(
    (client) => client.tenancy.me() as Promise<{ role?: string; tenant?: { id: string } }>,
    'me',
  );
  // Nothing is shown as "no limit" before the limits are known.
  if (!limits.data)
    return (
      <>
        <h1>Limits</h1>
        <ErrorNote error={limits.error} />
        {limits.error ? null : (
          <p className="muted" role="status">
            Loading the limits…
          </p>
        )}
      </>
    );
  const effective = limits.data.effective ?? {};
  const own = limits.data.tenant ?? {};
  return (
    <>
      <h1>Limits</h1>
      <p className="muted">
        What is in force for your tenant: its own settings over the server’s defaults. A platform admin sets
        them{me.data?.role === 'platform_admin' ? ' below' : ''} (
        <code>PUT /v1/tenants/&#123;id&#125;/limits</code>).
      </p>
      <ErrorNote error={limits.error ?? spent.error} />
      <h2>Budgets (per {period}, UTC)</h2>
      <TableWrap label="Budgets">
        <thead>
          <tr>
            <th scope="col">For</th>
            <th scope="col">Tokens</th>
            <th scope="col">Cost</th>
            <th scope="col">Set by</th>
          </tr>
        </thead>
        <tbody>
          {BUDGET_SCOPES.map(([scope, label]) => {
            const budget = effective.budgets?.[scope];
            return (
              <tr key={scope}>
                <th scope="row">{label}</th>
                <td>{budget?.tokens !== undefined ? formatCount(budget.tokens) : 'no limit'}</td>
                <td>{budget?.cost_usd !== undefined ? formatUsd(budget.cost_usd) : 'no limit'}</td>
                <td>{originOf(own.budgets?.[scope], budget)}</td>
              </tr>
            );
          })}
        </tbody>
      </TableWrap>
      {total ? (
        <div className="spend">
          <Meter
            label={`Tokens this ${period}`}
            used={total.total_tokens}
            limit={effective.budgets?.tenant?.tokens}
            format={formatCount}
          />
          <Meter
            label={`Cost this ${period}`}
            used={total.cost_usd}
            limit={effective.budgets?.tenant?.cost_usd}
            format={formatUsd}
          />
        </div>
      ) : spent.data ? (
        <p className="muted">Nothing spent this {period} yet.</p>
      ) : null}
      <h2>Rate limits</h2>
      <TableWrap label="Rate limits">
        <thead>
          <tr>
            <th scope="col">For</th>
            <th scope="col">Limit</th>
            <th scope="col">Set by</th>
          </tr>
        </thead>
        <tbody>
          {RATE_SCOPES.map(([scope, label]) => {
            const rate = effective.rate_limits?.[scope];
            return (
              <tr key={scope}>
                <th scope="row">{label}</th>
                <td>
                  {rate ? `${formatCount(rate.requests)} per ${formatCount(rate.per_seconds)} s` : 'no limit'}
                </td>
                <td>{originOf(own.rate_limits?.[scope], rate)}</td>
              </tr>
            );
          })}
        </tbody>
      </TableWrap>
      <h2>Tool quotas (calls per UTC day)</h2>
      {(effective.tool_quotas ?? []).length === 0 ? (
        <p className="muted">No tool quotas.</p>
      ) : (
        <TableWrap label="Tool quotas">
          <thead>
            <tr>
              <th scope="col">Tool</th>
              <th scope="col">Per</th>
              <th scope="col">Calls a day</th>
            </tr>
          </thead>
          <tbody>
            {(effective.tool_quotas ?? []).map((quota) => (
              <tr key={`${quota.tool}/${quota.per}`}>
                <th scope="row">{quota.tool === '*' ? 'every tool' : quota.tool}</th>
                <td>{quota.per}</td>
                <td>{formatCount(quota.calls_per_day)}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
      {me.data?.role === 'platform_admin' && me.data.tenant ? (
        <LimitsEditor
          tenantId={me.data.tenant.id}
          own={own as LimitSettings}
          defaults={limits.data.server as LimitSettings}
          onSaved={limits.reload}
        />
      ) : null}
    </>
  );
}

/** What is spent against a budget: a bar (a <meter>, which screen readers read) and the figures. */
function Meter({
  label,
  used,
  limit,
  format,
}: {
  label: string;
  used: number;
  limit: number | undefined;
  format: (value: number) => string;
}) {
  return (
    <div className="meter">
      <span>
        {label}: <strong>{format(used)}</strong>
        {limit !== undefined ? ` of ${format(limit)}` : ' (no budget)'}
      </span>
      {limit !== undefined && limit > 0 ? (
        <meter
          min={0}
          max={limit}
          value={Math.min(used, limit)}
          high={limit * 0.8}
          optimum={0}
          aria-label={label}
        >
          {format(used)}
        </meter>
      ) : null}
    </div>
  );
}
