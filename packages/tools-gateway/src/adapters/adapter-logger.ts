/** Where adapters say what happens to their servers; console and pino both fit. */
export interface AdapterLogger {
  info?(message: string): void;
  warn?(message: string): void;
}
