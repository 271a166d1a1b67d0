import { z } from 'zod';
import { isKnownScope, knownScopes } from './scopes.js';

/** A list of scope names; an unknown one is a 400 naming it and listing the known ones. */
export const ScopesSchema = z
  .array(
    z
      .string()
      .max(100)
      .refine(isKnownScope, {
        error: (issue) =>
          `'${String(issue.input).slice(0, 100)}' is not a scope; scopes are ${knownScopes().join(', ')}`,
      }),
  )
  .max(100);
