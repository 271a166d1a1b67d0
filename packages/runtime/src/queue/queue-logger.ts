/** A logger the queue writes to: pino's shape, reduced to what it uses. */
export interface QueueLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: QueueLogger = { warn: () => {}, error: () => {} };
