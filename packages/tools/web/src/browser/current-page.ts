import type { ExtractedPage } from '../extract/html-to-markdown.js';
import type { PageLink } from '../extract/number-links.js';
import { renderPart } from '../extract/render-part.js';
import type { OpenTimings } from './open-timings.js';
import type { RequestRecord } from './route-guard.js';

/** One part of the page the session is on, as the model reads it. */
export interface PageSnapshot {
  url: string;
  title: string;
  /** HTTP status of the main document; undefined when the page came from the history cache. */
  status: number | undefined;
  /** 1-based. */
  part: number;
  partCount: number;
  /** Title, URL, the part's markdown and its link table. */
  content: string;
  /** Requests of the page that were refused or failed. */
  refused: RequestRecord[];
  notes: string[];
  /** Where the time of the navigation that loaded this page went (unchanged by scroll). */
  timings: OpenTimings;
}

/** The page a browser session is on: its text cut into parts, the part shown, what loading it noted. */
export interface CurrentPage {
  extracted: ExtractedPage;
  parts: string[];
  part: number;
  status: number | undefined;
  refused: RequestRecord[];
  notes: string[];
  timings: OpenTimings;
}

/** What the model reads of the page: its current part, rendered, with what the navigation noted. */
export function snapshotOf(current: CurrentPage): PageSnapshot {
  return {
    url: current.extracted.url,
    title: current.extracted.title,
    status: current.status,
    part: current.part + 1,
    partCount: current.parts.length,
    content: renderPart(current.extracted, current.parts, current.part),
    refused: current.refused,
    notes: current.notes,
    timings: current.timings,
  };
}

/** How a link table's numbers run, for an error naming a link that is not there. */
export function rangeOf(links: readonly PageLink[]): string {
  return links.length === 0 ? 'it has no links' : `links are numbered 1 to ${links.length}`;
}
