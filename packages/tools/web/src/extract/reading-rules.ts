import type TurndownService from 'turndown';

/** Turndown's options for reading, not round-tripping. */
export const TURNDOWN_OPTIONS = {
  headingStyle: 'atx',
  codeBlockStyle: 'fenced',
  bulletListMarker: '-',
  emDelimiter: '_',
} as const;

/**
 * The rules that make a page readable markdown: numbered links become
 * `text [n]` (the URLs go to the link table), images become their alt text,
 * tables become pipe tables (cells flattened to one line, the first row as
 * header), and scripts, styles, frames and forms are dropped.
 *
 * Self-contained on purpose (no imports, no helpers outside it): the browser
 * runs this very function in the page, from its source text, so both paths
 * write the same markdown.
 */
export function addReadingRules(service: TurndownService, linkAttribute: string): void {
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
  service.addRule('table-cell', {
    filter: ['th', 'td'],
    replacement: (content, node) => {
      const text = content
        .replace(/\s*\n+\s*/g, ' ')
        .replace(/\|/g, '\\|')
        .trim();
      const first = (node as Element).previousElementSibling === null;
      return `${first ? '| ' : ' '}${text} |`;
    },
  });
  service.addRule('table-row', {
    filter: 'tr',
    replacement: (content, node) => {
      const row = node as HTMLTableRowElement;
      const line = `\n${content.trim()}`;
      const table = row.closest('table');
      if (table === null || table.rows[0] !== row) return line;
      const separator = Array.from(row.cells, () => ' --- |').join('');
      return `${line}\n|${separator}`;
    },
  });
  service.addRule('table-section', {
    filter: ['thead', 'tbody', 'tfoot'],
    replacement: (content) => content,
  });
  service.addRule('table', {
    filter: 'table',
    replacement: (content, node) => {
      const caption = (node as HTMLTableElement).caption?.textContent?.trim();
      const rows = content.replace(/^\n+|\n+$/g, '');
      return `\n\n${caption ? `${caption}\n\n` : ''}${rows}\n\n`;
    },
  });
  service.remove('caption');
  service.addRule('numbered-link', {
    filter: 'a',
    replacement: (content, node) => {
      const text = content.trim();
      const number = (node as Element).getAttribute(linkAttribute);
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
}

/** Trailing blanks and runs of blank lines removed. Self-contained: it runs in the page too. */
export function tidyMarkdown(markdown: string): string {
  return markdown
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
