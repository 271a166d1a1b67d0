import { ExtractionError } from '../errors.js';

/** Pretty-printed, so that keys and values are separate words a search can match. */
export function jsonToText(text: string, filename: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (error) {
    throw new ExtractionError(`"${filename}" is not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
}
