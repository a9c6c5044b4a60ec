// A Markdown table (GitHub flavour), readable as plain text too: columns padded to one width,
// numbers right-aligned.

export type Cell = string | number;

function text(cell: Cell): string {
  return String(cell).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

const NUMBER = /^(?:[-+]?[\d.,]+%?|-)?$/;

/** Columns whose every body cell is a number ("12.5", "3%", "-" or empty) are right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((row) => NUMBER.test(String(row[c] ?? ''))));
  const cells = [headers.map(text), ...rows.map((row) => headers.map((_, c) => text(row[c] ?? '')))];
  const widths = headers.map((_, c) => Math.max(3, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (numeric[c] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

/** 1234.5 -> "1235"; 12.345 -> "12.3"; 0.42 -> "0.42"; NaN -> "-" */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 100) return String(Math.round(ms));
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}
