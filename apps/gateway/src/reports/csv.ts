// CSV for the reports and the ledger export (RFC 4180, CRLF line ends, a header row).

/**
 * One cell: quoted when it holds a quote, a comma or a line break (quotes doubled). A text
 * starting with = + - @ (or a tab or carriage return) gets a leading single quote, so a
 * spreadsheet shows it as text instead of running it as a formula; numbers are written as they
 * are, so a negative amount stays a number.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole table: the header, then one line per row. */
export function csvTable<Row>(
  columns: ReadonlyArray<readonly [header: string, cell: (row: Row) => string | number | null]>,
  rows: readonly Row[],
): string {
  return (
    csvLine(columns.map(([header]) => header)) +
    rows.map((row) => csvLine(columns.map(([, cell]) => cell(row)))).join('')
  );
}
