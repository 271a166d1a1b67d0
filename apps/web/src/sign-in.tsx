import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { SignInError, signIn, signOut } from './api/credentials.js';
import { statusOf } from './api/errors.js';
import { finishSignIn, isProviderReturn } from './api/oidc.js';
import { agentd } from './api/sdk.js';
import { ProviderSignIn } from './sign-in-provider.js';

/**
 * Sign-in with an API key, checked against the API before it is kept (for
 * this tab only), or through the identity provider (sign-in-provider.tsx),
 * which sends the browser back here with a code to finish.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [returning] = useState(isProviderReturn);
  const [providerError, setProviderError] = useState<string | null>(null);
  const keyId = useId();
  // The code is good once: finish only on the first run, whatever re-renders come.
  const finishing = useRef(false);
  useEffect(() => {
    if (!returning || finishing.current) return;
    finishing.current = true;
    setChecking(true);
    finishSignIn()
      .then(onSignedIn)
      .catch((failure: Error) => {
        setProviderError(failure.message);
        setChecking(false);
      });
  }, [returning, onSignedIn]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(null);
    try {
      await signIn(key);
      await agentd().agents.list({ limit: 1 });
      onSignedIn();
    } catch (failure) {
      signOut();
      setError(
        (failure instanceof SignInError ? failure.status : statusOf(failure)) === 401
          ? 'That key was not accepted.'
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    } finally {
      setChecking(false);
    }
  };
  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <h1>Sign in to agentd</h1>
        {returning && checking ? <p role="status">Signing you in…</p> : null}
        {providerError ? (
          <p className="error" role="alert">
            {providerError}
          </p>
        ) : null}
        <form onSubmit={submit} aria-label="Sign in with a key">
          <label htmlFor={keyId}>API key</label>
          <input
            id={keyId}
            type="password"
            autoComplete="off"
            placeholder="sk-agentd-…"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            required
            aria-describedby={`${keyId}-help`}
            aria-invalid={error ? true : undefined}
          />
          <p id={`${keyId}-help`} className="muted">
            Exchanged for a short-lived session token, kept for this tab only.
          </p>
          {error ? (
            <p className="error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={checking || !key.trim()}>
            {checking ? 'Checking…' : 'Sign in'}
          </button>
        </form>
        <ProviderSignIn />
      </div>
    </main>
  );
}
