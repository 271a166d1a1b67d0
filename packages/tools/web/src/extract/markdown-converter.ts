import { createRequire } from 'node:module';
import type TurndownService from 'turndown';
import { LINK_NUMBER_ATTRIBUTE } from './number-links.js';
import { addReadingRules, TURNDOWN_OPTIONS } from './reading-rules.js';

/** Turndown set up for reading (reading-rules.ts), for pages read in Node. */
export function createMarkdownConverter(): TurndownService {
  // Required here, not imported: Turndown's Node build loads a DOM (domino) that takes a
  // good part of a second, which a process that converts no page should not pay.
  const Turndown = createRequire(import.meta.url)('turndown') as typeof TurndownService;
  const service = new Turndown({ ...TURNDOWN_OPTIONS });
  addReadingRules(service, LINK_NUMBER_ATTRIBUTE);
  return service;
}
