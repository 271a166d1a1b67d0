import type { Principal } from '@agentd/spec';
import type { Logger } from 'pino';
import type { Services } from '../services.js';

/** What every request context carries. */
export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal | undefined;
    services: Services;
    logger: Logger;
  };
}
