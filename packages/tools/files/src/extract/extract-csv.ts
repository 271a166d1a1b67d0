import { parse } from 'csv-parse/sync';
import { ExtractionError } from '../errors.js';

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * A table as one paragraph per row, each row's cells as `header: value`
 * lines, so that any chunk of it still says what its numbers are. Empty
 * cells are left out; a cell without a header is named by its column.
 */
export function csvToText(text: string, filename: string): string {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    throw new ExtractionError(`"${filename}" is not valid CSV (${(error as Error).message}).`, {
      cause: error,
    });
  }
  const [header = [], ...rows] = records;
  const names = header.map((name, column) => name || `column ${column + 1}`);
  const nameOf = (column: number) => names[column] ?? `column ${column + 1}`;
  const summary = `Table with ${rows.length} row(s) and ${names.length} column(s): ${names.join(', ')}.`;
  const paragraphs = rows.map((row, index) => {
    const cells = row.flatMap((value, column) => (value === '' ? [] : [`${nameOf(column)}: ${value}`]));
    return [`[row ${index + 1}]`, ...cells].join('\n');
  });
  return [summary, ...paragraphs].join('\n\n');
}

/** The candidate that occurs most often in the first line, outside quotes; a comma by default. */
function sniffDelimiter(text: string): string {
  const firstLine = (/^[^\r\n]*/.exec(text)?.[0] ?? '').replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = firstLine.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}
