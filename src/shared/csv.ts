/**
 * One CSV cell, RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; a
 * number prints as JavaScript does, a non-finite number, null or undefined as an empty cell.
 * Shared by the results table's CSV (renderer) and the metrics export (back end). Pure.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
