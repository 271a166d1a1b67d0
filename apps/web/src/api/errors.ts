/** The message of an error, for the page. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The HTTP status of an API error (0 when the server was not reached or it is not one). */
export const statusOf = (error: unknown): number =>
  typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 0;
