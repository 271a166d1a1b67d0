import { useState } from 'react';
import { useAgentd } from '../api/sdk.js';
import { errorText } from './use-load.js';

interface Verification {
  valid: boolean;
  events_verified: number;
  head: { sequence: number; hash: string } | null;
  broken: { sequence: number; id: string | null; reason: string } | null;
}

const REASONS: Record<string, string> = {
  missing: 'an event is missing (deleted)',
  prev_hash_mismatch: 'an event is out of place (its link to the one before does not hold)',
  hash_mismatch: 'an event was changed after it was written',
  head_mismatch: 'the chain’s head does not match its last event',
};

/** Verify: the server walks the tenant's hash chain and says whether it holds, or where it breaks. */
export function AuditVerify() {
  const api = useAgentd();
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = () => {
    setBusy(true);
    setError(null);
    api.auditEvents
      .verify()
      .then((answer) => setResult(answer as unknown as Verification))
      .catch((failure: unknown) => setError(errorText(failure)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="row verify">
      <button type="button" onClick={verify} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify the chain'}
      </button>
      <output aria-live="polite" data-testid="audit-verification">
        {error ? <span className="bad-text">{error}</span> : null}
        {result?.valid ? (
          <span className="ok-text">
            Chain intact: {result.events_verified} events verified
            {result.head ? `; head #${result.head.sequence}, hash ${result.head.hash.slice(0, 12)}…` : '.'}
          </span>
        ) : null}
        {result && !result.valid ? (
          <span className="bad-text">
            Chain broken at #{result.broken?.sequence}:{' '}
            {REASONS[result.broken?.reason ?? ''] ?? result.broken?.reason}.
          </span>
        ) : null}
      </output>
    </div>
  );
}
