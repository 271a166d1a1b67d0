import { z } from 'zod';

/** The answer of the liveness and readiness probes. */
export const StatusSchema = z
  .object({ status: z.string(), checks: z.record(z.string(), z.string()).optional() })
  .meta({ id: 'Status' });
