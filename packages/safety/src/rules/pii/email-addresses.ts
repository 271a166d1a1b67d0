import { findAll, type PiiFinding } from './pii-finding.js';

const EMAIL =
  /(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24})(?![\w-])/gi;

/** Image names such as `icon@2x.png` have an address's shape. */
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico']);

/** Addresses with a domain that has a top-level part: `name@example.org`, not `user@localhost`. */
export function findEmails(text: string): PiiFinding[] {
  // No `@`, no address: the pattern's look-behind would still be tried at every character.
  if (!text.includes('@')) return [];
  return findAll(text, EMAIL, 'email', (match) => !FILE_EXTENSIONS.has(match[1]!.toLowerCase()));
}
