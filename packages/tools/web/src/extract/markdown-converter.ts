import TurndownService from 'turndown';
import { LINK_NUMBER_ATTRIBUTE } from './number-links.js';
import { addTableRules } from './table-rules.js';

/**
 * Turndown set up for reading, not round-tripping: numbered links become
 * `text [n]` (the URLs go to the link table), images become their alt text,
 * tables become pipe tables, and scripts, styles and embedded frames are dropped.
 */
export function createMarkdownConverter(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
  });
  const dropped = new Set([
    'SCRIPT',
    'STYLE',
    'NOSCRIPT',
    'TEMPLATE',
    'IFRAME',
    'OBJECT',
    'EMBED',
    'SVG',
    'CANVAS',
    'FORM',
  ]);
  service.remove((node) => dropped.has(node.nodeName.toUpperCase()));
  addTableRules(service);
  service.addRule('numbered-link', {
    filter: 'a',
    replacement: (content, node) => {
      const text = content.trim();
      const number = (node as Element).getAttribute(LINK_NUMBER_ATTRIBUTE);
      if (number === null) return text;
      return text === '' ? `[${number}]` : `${text} [${number}]`;
    },
  });
  service.addRule('list-item', {
    filter: 'li',
    replacement: (content, node) => {
      const parent = node.parentNode as Element | null;
      let prefix = '- ';
      if (parent?.nodeName === 'OL') {
        const items = [...parent.children].filter((child) => child.nodeName === 'LI');
        const start = Number(parent.getAttribute('start') ?? '1') || 1;
        prefix = `${start + items.indexOf(node as Element)}. `;
      }
      const body = content
        .replace(/^\n+/, '')
        .replace(/\n+$/, '\n')
        .replace(/\n/gm, `\n${' '.repeat(prefix.length)}`);
      return prefix + body + (node.nextSibling && !body.endsWith('\n') ? '\n' : '');
    },
  });
  service.addRule('image-alt', {
    filter: 'img',
    replacement: (_content, node) => {
      const alt = ((node as Element).getAttribute('alt') ?? '').replace(/\s+/g, ' ').trim();
      return alt === '' ? '' : `[image: ${alt}]`;
    },
  });
  return service;
}
