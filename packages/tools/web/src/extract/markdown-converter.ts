import TurndownService from 'turndown';
import { LINK_NUMBER_ATTRIBUTE } from './number-links.js';
import { addReadingRules, TURNDOWN_OPTIONS } from './reading-rules.js';

/** Turndown set up for reading (reading-rules.ts), for pages read in Node. */
export function createMarkdownConverter(): TurndownService {
  const service = new TurndownService({ ...TURNDOWN_OPTIONS });
  addReadingRules(service, LINK_NUMBER_ATTRIBUTE);
  return service;
}
