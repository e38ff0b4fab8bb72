/**
 * Decides from the first rows of a CSV whether row 1 is a header, names the columns and finds
 * the target column. Pure functions over string rows; any thread.
 *
 * header "auto": row 1 is a header when none of its cells is a number and not all are empty (an
 * empty name is allowed: pandas writes one above its index column), and either
 *   - some column holds numbers in most of the following sampled rows (text above numbers), or
 *   - (all columns are text) no non-empty cell of row 1 reappears in its column in the sample.
 */
import { DataError, quoteInput } from '../../errors.js';
import { parseNumber } from './number.js';

export interface HeaderDecision {
  hasHeader: boolean;
  /** Column names: the header's cells (trimmed, made unique), or column1, column2, ... */
  names: string[];
  /** How it was decided, for provenance and error messages. */
  how: 'given' | 'detected' | 'none given' | 'none detected';
}

function isNumber(cell: string | undefined): boolean {
  return cell !== undefined && !Number.isNaN(parseNumber(cell));
}

export function looksLikeHeader(sample: string[][]): boolean {
  const [first, ...rest] = sample;
  if (first.some(isNumber) || first.every((cell) => cell.trim() === '')) return false;
  if (rest.length === 0) return true;
  for (let c = 0; c < first.length; c++) {
    let numbers = 0;
    for (const row of rest) if (isNumber(row[c])) numbers++;
    if (numbers * 2 > rest.length) return true;
  }
  return first.every((cell, c) => cell.trim() === '' || !rest.some((row) => (row[c] ?? '').trim() === cell.trim()));
}

export function decideHeader(sample: string[][], option: 'auto' | boolean): HeaderDecision {
  const width = sample[0].length;
  const hasHeader = option === 'auto' ? looksLikeHeader(sample) : option;
  const how = option === 'auto' ? (hasHeader ? 'detected' : 'none detected') : hasHeader ? 'given' : 'none given';
  if (!hasHeader) return { hasHeader, names: Array.from({ length: width }, (_, c) => `column${c + 1}`), how };
  const seen = new Map<string, number>();
  const names = sample[0].map((cell, c) => {
    const base = cell.trim() === '' ? `column${c + 1}` : cell.trim();
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k === 1 ? base : `${base}_${k}`;
  });
  return { hasHeader, names, how };
}

/** The 0-based index of the target column; a DataError listing the columns when it is absent. */
export function findTarget(file: string, header: HeaderDecision, target: string | number): number {
  const { names } = header;
  if (typeof target === 'number') {
    const idx = target < 0 ? names.length + target : target;
    if (idx < 0 || idx >= names.length) {
      throw new DataError(
        `${file}: target column index ${target} is out of range; the file has ${names.length} columns (indices 0..${names.length - 1}, or -1 for the last)`,
      );
    }
    return idx;
  }
  const idx = names.indexOf(target.trim());
  if (idx >= 0) return idx;
  const listed = names.length > 20 ? names.slice(0, 20).map(quote).join(', ') + ', ...' : names.map(quote).join(', ');
  const hint =
    header.how === 'none detected'
      ? ' No header row was detected (row 1 looks like data): set header: true, or give the target as a column index.'
      : header.how === 'none given'
        ? ' The file is read without a header (header: false), so give the target as a column index.'
        : '';
  throw new DataError(`${file}: target column ${quoteInput(target)} does not exist; the columns are ${listed}.${hint}`);
}

function quote(s: string): string {
  return quoteInput(s);
}
