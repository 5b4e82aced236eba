/**
 * CSV for exports (RFC 4180): CRLF line ends, a field quoted when it holds a comma, a quote, CR or
 * LF, quotes doubled inside; null and undefined are empty fields. The text starts with a UTF-8
 * byte-order mark so that spreadsheet applications read non-ASCII text (Chinese material names)
 * as UTF-8.
 */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const cell = (value: string | number | boolean | null | undefined) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const line = (cells: (string | number | boolean | null | undefined)[]) => `${cells.map(cell).join(',')}\r\n`;
  return `\uFEFF${line(header)}${rows.map(line).join('')}`;
}
