// Types of pglite-open.js, for TypeScript that is checked without allowJs (the tests).
import type { PGlite } from '@electric-sql/pglite';

export function openPglite(dataDir: string | undefined, settings?: string[]): Promise<PGlite>;
