import type { Writable } from 'node:stream';

/** The answer of GET /v1/audit_events/verify. */
interface ChainVerification {
  valid: boolean;
  events_verified: number;
  head: { sequence: number; hash: string } | null;
  broken: { sequence: number; id: string | null; reason: string } | null;
}

export interface AuditVerifyOptions {
  /** The server: --url, else AGENTD_URL, else the local default. */
  url: string;
  apiKey: string;
  out: Writable;
  err: Writable;
}

const REASONS: Record<string, string> = {
  hash_mismatch: 'its content is not what was hashed (the event was edited)',
  prev_hash_mismatch: 'it does not follow the event before it (an event was edited, inserted or replaced)',
  missing: 'the event is missing (deleted)',
  head_mismatch: 'the chain does not end where its recorded head says',
};

/**
 * `agentd audit verify`: asks the server to walk the key's tenant's audit
 * chain, and prints the first broken link. Exit 0: intact; 1: broken;
 * 2: the check could not be made (no key, server unreachable, refused).
 */
export async function auditVerify(options: AuditVerifyOptions): Promise<number> {
  let response: Response;
  try {
    response = await fetch(new URL('/v1/audit_events/verify', options.url), {
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
  } catch (error) {
    options.err.write(`agentd: cannot reach ${options.url}: ${(error as Error).message}\n`);
    return 2;
  }
  const body = (await response.json().catch(() => null)) as
    | (ChainVerification & { error?: { message: string } })
    | null;
  if (!response.ok || body === null || body.error) {
    options.err.write(`agentd: ${body?.error?.message ?? `the server answered ${response.status}`}\n`);
    return 2;
  }
  if (body.valid) {
    options.out.write(
      `audit chain intact: ${body.events_verified} events verified${body.head ? `, head ${body.head.hash}` : ''}\n`,
    );
    return 0;
  }
  const broken = body.broken!;
  options.out.write(
    `audit chain broken at event #${broken.sequence}${broken.id ? ` (${broken.id})` : ''}: ${REASONS[broken.reason] ?? broken.reason}\n` +
      `${body.events_verified} events before it verified\n`,
  );
  return 1;
}
