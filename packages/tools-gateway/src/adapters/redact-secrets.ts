const MARK = '[redacted]';

/**
 * Replaces every secret value in a text. When the text was cut short, a tail
 * that could be the start of a secret goes too, so no prefix of one survives.
 */
export function redactSecrets(text: string, secrets: readonly string[], truncated = false): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(MARK);
  }
  if (!truncated) return out;
  for (const secret of secrets) {
    for (let length = Math.min(secret.length - 1, out.length); length > 0; length--) {
      if (out.endsWith(secret.slice(0, length))) {
        out = out.slice(0, -length) + MARK;
        break;
      }
    }
  }
  return out;
}
