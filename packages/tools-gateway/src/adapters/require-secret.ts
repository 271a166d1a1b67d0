import { AdapterError } from './adapter-error.js';
import type { SecretResolver } from './tool-adapter.js';

/** Resolves a stored secret, failing with an error that names the secret and its use, never a value. */
export async function requireSecret(
  resolve: SecretResolver | undefined,
  name: string,
  purpose: string,
): Promise<string> {
  if (!resolve) {
    throw new AdapterError(
      'not_configured',
      `${purpose} needs the secret '${name}', but no secret store is set up`,
    );
  }
  let value: string;
  try {
    value = await resolve(name);
  } catch (error) {
    throw new AdapterError('secret_missing', `${purpose} needs the secret '${name}', which is not stored`, {
      cause: error,
    });
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new AdapterError('secret_missing', `${purpose} needs the secret '${name}', which is empty`);
  }
  return value;
}
