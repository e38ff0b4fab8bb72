/**
 * The CSV loader's growing storage while a file streams through: every cell of every column as
 * float32 in fixed-size chunks of rows (no row objects, no reallocation: a new chunk when one is
 * full), NaN where a cell is not a number. Text cells are also kept, sparsely: per column a
 * dictionary of distinct texts and (row, code) pairs, so a column can later become one-hot
 * categories or class labels. Counts per column decide afterwards whether a column is numeric.
 * Missing values under `missing: "error"` throw at once, with file, line and column.
 * Single-threaded: one loader owns one store.
 */
import { DataError, quoteInput } from '../../errors.js';
import { checkDatasetMemory } from '../limits.js';
import { isMissing, parseNumber } from './number.js';

/** More distinct texts than this in one column: free text or identifiers, not categories. */
export const MAX_DISTINCT_TEXT = 1000;
const CHUNK_FLOATS = 1 << 20;

/** A growable Int32 list (doubling); used only for the sparse text cells. */
export class IntList {
  data = new Int32Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export interface CellNote {
  line: number;
  value: string;
}

export interface StoreContext {
  file: string;
  names: string[];
  missing: 'error' | 'drop';
  targetIndex: number;
  /** The dataset memory ceiling (limits.ts): the store's float32 cells may not pass it. */
  memoryLimitBytes: number;
}

export function columnLabel(names: string[], c: number): string {
  return `column ${c + 1} (${quoteInput(names[c] ?? '')})`;
}

export class ColumnStore {
  readonly width: number;
  readonly rowsPerChunk: number;
  rows = 0;
  chunks: (Float32Array | null)[] = [];
  private cur: Float32Array = new Float32Array(0);
  private curRows = 0;
  readonly numeric: Int32Array;
  readonly text: Int32Array;
  readonly missing: Int32Array;
  readonly firstText: (CellNote | undefined)[];
  readonly firstMissing: (CellNote | undefined)[];
  /** Per column: distinct text (trimmed) -> code in first-seen order; created on the first text cell. */
  readonly dict: (Map<string, number> | undefined)[];
  readonly textRows: (IntList | undefined)[];
  readonly textCodes: (IntList | undefined)[];
  /** Target column only: are all numeric values whole numbers, and its distinct values (capped). */
  targetAllIntegers = true;
  readonly targetValues = new Set<number>();

  constructor(readonly ctx: StoreContext) {
    const w = ctx.names.length;
    this.width = w;
    this.rowsPerChunk = Math.max(1, Math.floor(CHUNK_FLOATS / w));
    this.numeric = new Int32Array(w);
    this.text = new Int32Array(w);
    this.missing = new Int32Array(w);
    this.firstText = new Array(w).fill(undefined);
    this.firstMissing = new Array(w).fill(undefined);
    this.dict = new Array(w).fill(undefined);
    this.textRows = new Array(w).fill(undefined);
    this.textCodes = new Array(w).fill(undefined);
  }

  /** Stores one row whose field count is already checked; `line` is its 1-based line. */
  addRow(row: string[], line: number): void {
    if (this.curRows === this.rowsPerChunk || this.chunks.length === 0) {
      const bytes = (this.chunks.length + 1) * this.rowsPerChunk * this.width * 4;
      if (bytes > this.ctx.memoryLimitBytes) {
        checkDatasetMemory(
          this.ctx.file,
          bytes,
          `more than ${this.rows} rows of ${this.width} columns (float32)`,
          this.ctx.memoryLimitBytes,
        );
      }
      this.cur = new Float32Array(this.rowsPerChunk * this.width);
      this.chunks.push(this.cur);
      this.curRows = 0;
    }
    const cur = this.cur;
    const w = this.width;
    const off = this.curRows * w;
    const numeric = this.numeric;
    for (let c = 0; c < w; c++) {
      const v = parseNumber(row[c]);
      if (v === v) {
        cur[off + c] = v;
        numeric[c]++;
      } else {
        cur[off + c] = NaN;
        this.nonNumeric(c, row[c], line);
      }
    }
    const t = this.ctx.targetIndex;
    const tv = cur[off + t];
    if (tv === tv) {
      if (this.targetAllIntegers && !Number.isInteger(tv)) this.targetAllIntegers = false;
      if (this.targetValues.size <= MAX_DISTINCT_TEXT) this.targetValues.add(tv);
    }
    this.curRows++;
    this.rows++;
  }

  private nonNumeric(c: number, cell: string, line: number): void {
    if (isMissing(cell)) {
      this.missing[c]++;
      if (this.firstMissing[c] === undefined) this.firstMissing[c] = { line, value: cell };
      if (this.ctx.missing === 'error') {
        const shown = cell.trim() === '' ? 'an empty cell' : quoteInput(cell.trim());
        throw new DataError(
          `${this.ctx.file}: line ${line}, ${columnLabel(this.ctx.names, c)}: missing or non-finite value (${shown}); ` +
            'fix the file or set missing: "drop" to drop such rows',
        );
      }
      return;
    }
    this.text[c]++;
    const key = cell.trim();
    if (this.firstText[c] === undefined) this.firstText[c] = { line, value: key };
    let dict = this.dict[c];
    if (dict === undefined) {
      dict = new Map();
      this.dict[c] = dict;
      this.textRows[c] = new IntList();
      this.textCodes[c] = new IntList();
    }
    let code = dict.get(key);
    if (code === undefined) {
      if (dict.size === MAX_DISTINCT_TEXT) {
        throw new DataError(
          `${this.ctx.file}: line ${line}, ${columnLabel(this.ctx.names, c)}: more than ${MAX_DISTINCT_TEXT} distinct ` +
            `non-numeric values (first ${quoteInput(this.firstText[c]!.value)} on line ${this.firstText[c]!.line}); ` +
            'this looks like free text or an identifier, not a category: remove the column',
        );
      }
      code = dict.size;
      dict.set(key, code);
    }
    this.textRows[c]!.push(this.rows);
    this.textCodes[c]!.push(code);
  }

  /** The float32 cell (NaN for text or missing). */
  get(row: number, c: number): number {
    const chunk = this.chunks[Math.floor(row / this.rowsPerChunk)]!;
    return chunk[(row % this.rowsPerChunk) * this.width + c];
  }

  /** Per row: the text code of column c, or -1 where the cell is a number or missing. */
  textCodesByRow(c: number): Int32Array {
    const out = new Int32Array(this.rows).fill(-1);
    const rows = this.textRows[c];
    const codes = this.textCodes[c];
    if (rows && codes) for (let i = 0; i < rows.length; i++) out[rows.data[i]] = codes.data[i];
    return out;
  }
}
