import { type FormEvent, useEffect, useId, useState } from 'react';
import { findProvider, goToProvider, type OidcProvider, tenantToOffer } from './api/oidc.js';

const hostOf = (issuer: string) => new URL(issuer).host;

/**
 * Sign-in through the identity provider: a "Sign in with <provider>" button
 * for the organisation in the address (`?tenant=`) or last used, or the
 * platform's provider; and a field to name another organisation.
 */
export function ProviderSignIn() {
  const offered = tenantToOffer();
  const [tenant, setTenant] = useState(offered ?? '');
  const [found, setFound] = useState<{ provider: OidcProvider; tenant: string | null } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tenantId = useId();

  useEffect(() => {
    findProvider(offered)
      .then((provider) => provider && setFound({ provider, tenant: offered }))
      .catch(() => undefined);
  }, [offered]);

  const look = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    setBusy(true);
    try {
      const provider = await findProvider(tenant.trim());
      if (provider) setFound({ provider, tenant: tenant.trim() });
      else setNote(`No identity provider signs in to “${tenant.trim()}”. Use an API key, or check the name.`);
    } catch (failure) {
      setNote(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const go = async () => {
    if (!found) return;
    setBusy(true);
    await goToProvider(found.provider, found.tenant).catch((failure: Error) => {
      setNote(failure.message);
      setBusy(false);
    });
  };

  return (
    <section className="sign-in-provider" aria-labelledby={`${tenantId}-heading`}>
      <h2 id={`${tenantId}-heading`}>Single sign-on</h2>
      {found ? (
        <button type="button" className="primary" onClick={go} disabled={busy}>
          Sign in with {hostOf(found.provider.issuer)}
        </button>
      ) : null}
      <form onSubmit={look} aria-label="Find your organisation's sign-in">
        <label htmlFor={tenantId}>Organisation</label>
        <input
          id={tenantId}
          autoComplete="organization"
          value={tenant}
          onChange={(event) => {
            setTenant(event.target.value);
            setFound(null);
          }}
          required
        />
        <button type="submit" disabled={busy || !tenant.trim()}>
          Find my sign-in
        </button>
      </form>
      {note ? (
        <p className="error" role="alert">
          {note}
        </p>
      ) : null}
    </section>
  );
}
