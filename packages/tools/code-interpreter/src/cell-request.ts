import type { OutputLimits } from './output-limits.js';

/** One cell as a runtime's runner receives it, after the host's checks. */
export interface CellRequest {
  code: string;
  /** Paths relative to `/mnt/data`. */
  files: { path: string; bytes: Uint8Array }[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** After a cancel, how long the cell may take to stop on KeyboardInterrupt before the runner is ended. */
  cancelGraceMs: number;
  limits: OutputLimits;
}
