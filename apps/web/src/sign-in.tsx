import { type FormEvent, useId, useState } from 'react';
import { SignInError, signIn, signOut } from './api/credentials.js';
import { statusOf } from './api/errors.js';
import { agentd } from './api/sdk.js';

/** Sign-in with an API key, checked against the API before it is kept (for this tab only). */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const keyId = useId();
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
      <form onSubmit={submit}>
        <h1>Sign in to agentd</h1>
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
    </main>
  );
}
