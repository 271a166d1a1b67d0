import { fileURLToPath } from 'node:url';

/**
 * The package's `python/` folder (the cell runner, the Pyodide lockdown, the
 * CPython driver). The same relative path works from `src/` and from `dist/`.
 */
export const PYTHON_DIR = fileURLToPath(new URL('../python', import.meta.url));
