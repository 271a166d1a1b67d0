import { type FormEvent, useId, useState } from 'react';
import { messageOf } from '../api/errors.js';
import { useAgentd } from '../api/sdk.js';

type Rate = { requests: number; per_seconds: number };
type Budget = { tokens?: number; cost_usd?: number };
/** A tenant's own limit settings, as PUT /v1/tenants/{id}/limits takes them. */
export interface LimitSettings {
  rate_limits?: Partial<Record<string, Rate | null>>;
  tool_quotas?: unknown[] | null;
  budgets?: { period?: 'day' | 'month' } & Partial<Record<string, Budget | null>>;
}

const BUDGETS = [
  ['tenant', 'The tenant'],
  ['user', 'Each user'],
  ['run', 'Each run'],
] as const;
const RATES = [
  ['tenant', 'The tenant'],
  ['api_key', 'Each API key'],
  ['user', 'Each user'],
  ['tool', 'Each tool'],
] as const;

/** The form's fields, as text: `budget.<scope>.tokens`, `rate.<scope>.requests`... Empty: the server's default. */
type Fields = Record<string, string>;

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

function fieldsOf(own: LimitSettings): Fields {
  const fields: Fields = { period: own.budgets?.period ?? '' };
  for (const [scope] of BUDGETS) {
    const budget = own.budgets?.[scope] ?? undefined;
    fields[`budget.${scope}.tokens`] = text(budget?.tokens);
    fields[`budget.${scope}.cost_usd`] = text(budget?.cost_usd);
  }
  for (const [scope] of RATES) {
    const rate = own.rate_limits?.[scope] ?? undefined;
    fields[`rate.${scope}.requests`] = text(rate?.requests);
    fields[`rate.${scope}.per_seconds`] = text(rate?.per_seconds);
  }
  return fields;
}

/**
 * The settings the fields say, over the tenant's own (tool quotas and limits
 * the tenant lifted are kept as they are). A number field left empty drops
 * the tenant's setting, so the server's default applies. Malformed numbers
 * are sent as they are: the server names the field that is wrong.
 */
export function settingsOf(fields: Fields, own: LimitSettings): LimitSettings {
  const number = (name: string) => {
    const value = (fields[name] ?? '').trim();
    return value === '' ? undefined : Number(value);
  };
  const budgets: NonNullable<LimitSettings['budgets']> = { ...own.budgets };
  if (fields.period) budgets.period = fields.period as 'day' | 'month';
  else delete budgets.period;
  for (const [scope] of BUDGETS) {
    const tokens = number(`budget.${scope}.tokens`);
    const cost = number(`budget.${scope}.cost_usd`);
    if (tokens === undefined && cost === undefined) {
      if (budgets[scope] !== null) delete budgets[scope];
    } else
      budgets[scope] = {
        ...(tokens === undefined ? {} : { tokens }),
        ...(cost === undefined ? {} : { cost_usd: cost }),
      };
  }
  const rates: NonNullable<LimitSettings['rate_limits']> = { ...own.rate_limits };
  for (const [scope] of RATES) {
    const requests = number(`rate.${scope}.requests`);
    const per = number(`rate.${scope}.per_seconds`);
    if (requests === undefined && per === undefined) {
      if (rates[scope] !== null) delete rates[scope];
    } else rates[scope] = { requests: requests ?? Number.NaN, per_seconds: per ?? 60 };
  }
  return {
    ...(Object.keys(rates).length ? { rate_limits: rates } : {}),
    ...(own.tool_quotas !== undefined ? { tool_quotas: own.tool_quotas } : {}),
    ...(Object.keys(budgets).length ? { budgets } : {}),
  };
}

/** Platform admins set a tenant's own limits here (PUT /v1/tenants/{id}/limits). */
export function LimitsEditor({
  tenantId,
  own,
  defaults,
  onSaved,
}: {
  tenantId: string;
  own: LimitSettings;
  defaults: LimitSettings;
  onSaved: () => void;
}) {
  const api = useAgentd();
  const [fields, setFields] = useState<Fields>(() => fieldsOf(own));
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const base = useId();
  const set = (name: string) => (event: { target: { value: string } }) =>
    setFields((all) => ({ ...all, [name]: event.target.value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setNote(null);
    try {
      await api.limits.update(tenantId, settingsOf(fields, own) as Record<string, unknown>);
      setNote({ ok: true, text: 'Saved: these limits are in force now.' });
      onSaved();
    } catch (failure) {
      setNote({ ok: false, text: messageOf(failure) });
    } finally {
      setSaving(false);
    }
  };

  const numberField = (name: string, label: string, placeholder: number | undefined, step = '1') => (
    <div className="field">
      <label htmlFor={`${base}-${name}`}>{label}</label>
      <input
        id={`${base}-${name}`}
        type="number"
        min="0"
        step={step}
        inputMode="decimal"
        value={fields[name] ?? ''}
        placeholder={placeholder === undefined ? 'no limit' : `default ${placeholder}`}
        onChange={set(name)}
      />
    </div>
  );

  return (
    <form className="panel limits-editor" onSubmit={save} aria-label="Edit the tenant's limits">
      <h2>Edit the limits (platform admin)</h2>
      <p className="muted">
        Tenant <code>{tenantId}</code>. An empty field takes the server’s default (shown greyed).
      </p>
      <div className="field">
        <label htmlFor={`${base}-period`}>Budget period</label>
        <select id={`${base}-period`} value={fields.period ?? ''} onChange={set('period')}>
          <option value="">server default ({defaults.budgets?.period ?? 'day'})</option>
          <option value="day">day</option>
          <option value="month">month</option>
        </select>
      </div>
      {BUDGETS.map(([scope, label]) => (
        <fieldset key={scope}>
          <legend>Budget: {label.toLowerCase()}</legend>
          {numberField(`budget.${scope}.tokens`, 'Tokens', defaults.budgets?.[scope]?.tokens)}
          {numberField(`budget.${scope}.cost_usd`, 'Cost (USD)', defaults.budgets?.[scope]?.cost_usd, '0.01')}
        </fieldset>
      ))}
      {RATES.map(([scope, label]) => (
        <fieldset key={scope}>
          <legend>Rate limit: {label.toLowerCase()}</legend>
          {numberField(`rate.${scope}.requests`, 'Requests', defaults.rate_limits?.[scope]?.requests)}
          {numberField(
            `rate.${scope}.per_seconds`,
            'Per seconds',
            defaults.rate_limits?.[scope]?.per_seconds,
          )}
        </fieldset>
      ))}
      {note ? (
        <p className={note.ok ? 'ok' : 'error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={saving}>
        {saving ? 'Saving…' : 'Save limits'}
      </button>
    </form>
  );
}
