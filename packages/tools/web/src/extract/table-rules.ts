import type TurndownService from 'turndown';

/**
 * Tables as markdown pipe tables, one row a line, the first row as header.
 * Cells are flattened to one line; a table inside a cell is flattened too.
 */
export function addTableRules(service: TurndownService): void {
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
      if (!isFirstRow(row)) return line;
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
}

function isFirstRow(row: HTMLTableRowElement): boolean {
  const table = row.closest('table');
  return table !== null && table.rows[0] === row;
}
