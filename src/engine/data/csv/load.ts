/**
 * Streams a CSV file through papaparse into a ColumnStore and assembles the Dataset. Memory stays
 * near the size of the resulting arrays: papaparse hands over one text piece's rows at a time
 * (`chunk` callback, its fast path for pieces without quotes), rows are parsed into float32 chunks
 * at once and never kept as row objects. The first SNIFF_ROWS rows are held back to decide the
 * header and find the target before anything is stored.
 * Line numbers in messages count records; they match the file's lines unless a quoted field
 * contains a line break. Blank lines are skipped. Every failure is a DataError naming the file.
 * Node only (file streams); main thread or worker.
 */
import Papa from 'papaparse';
import { DataError } from '../../errors.js';
import type { Dataset } from '../dataset.js';
import { streamError, type OpenedFile } from '../files.js';
import { assembleCsv } from './assemble.js';
import { defaultDatasetMemoryLimit } from '../limits.js';
import { ColumnStore } from './columns.js';
import { decideHeader, findTarget, type HeaderDecision } from './header.js';
import { openCsvText } from './text-stream.js';

export const SNIFF_ROWS = 50;

export interface CsvOptions {
  target: string | number;
  task: 'auto' | 'classification' | 'regression';
  missing: 'error' | 'drop';
  categorical: 'onehot' | 'error';
  header: 'auto' | boolean;
  delimiter?: string;
  /** The dataset memory ceiling (limits.ts); default defaultDatasetMemoryLimit(). */
  memoryLimitBytes?: number;
}

class CsvRows {
  private line = 0;
  private sample: { row: string[]; line: number }[] = [];
  private header: HeaderDecision | undefined;
  private store: ColumnStore | undefined;
  private targetIndex = -1;
  private readonly memoryLimitBytes: number;

  constructor(
    private readonly file: string,
    private readonly o: CsvOptions,
  ) {
    this.memoryLimitBytes = o.memoryLimitBytes ?? defaultDatasetMemoryLimit();
  }

  onPiece(rows: string[][], errors: Papa.ParseError[]): void {
    const before = this.line;
    for (const e of errors) {
      if (e.type === 'Quotes')
        throw new DataError(`${this.file}: line ${before + (e.row ?? 0) + 1}: ${e.message.toLowerCase()} (check the quotes)`);
    }
    const store = this.store;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const line = ++this.line;
      if (row.length === 1 && row[0].trim() === '') continue;
      if (store) {
        if (row.length !== store.width) this.ragged(row, line, store.width);
        store.addRow(row, line);
      } else {
        this.sample.push({ row, line });
        if (this.sample.length >= SNIFF_ROWS) {
          this.commit();
          // The rest of this piece goes straight to the store.
          this.onPiece(rows.slice(i + 1), []);
          return;
        }
      }
    }
  }

  private ragged(row: string[], line: number, width: number): never {
    throw new DataError(
      `${this.file}: line ${line} has ${row.length} fields but line ${this.sample[0]?.line ?? 1} has ${width}; ` +
        'every row needs the same number of fields (is the delimiter right, or does a text field need quotes?)',
    );
  }

  /** Decides the header and target from the sample, then stores the sampled data rows. */
  private commit(): void {
    if (this.sample.length === 0) throw new DataError(`${this.file}: the file has no rows (only blank lines)`);
    const width = this.sample[0].row.length;
    for (const s of this.sample) if (s.row.length !== width) this.ragged(s.row, s.line, width);
    const header = decideHeader(
      this.sample.map((s) => s.row),
      this.o.header,
    );
    this.header = header;
    this.targetIndex = findTarget(this.file, header, this.o.target);
    const store = new ColumnStore({
      file: this.file,
      names: header.names,
      missing: this.o.missing,
      targetIndex: this.targetIndex,
      memoryLimitBytes: this.memoryLimitBytes,
    });
    for (const s of this.sample.slice(header.hasHeader ? 1 : 0)) store.addRow(s.row, s.line);
    this.store = store;
    this.sample = this.sample.slice(0, 1); // keep line 1 for ragged-row messages only
  }

  finish(): Dataset {
    if (!this.store) this.commit();
    const header = this.header!;
    return assembleCsv(this.store!, {
      file: this.file,
      names: header.names,
      targetIndex: this.targetIndex,
      task: this.o.task,
      missing: this.o.missing,
      categorical: this.o.categorical,
      headerHow: header.how,
      memoryLimitBytes: this.memoryLimitBytes,
    });
  }
}

export function loadCsv(file: string, o: CsvOptions): Promise<Dataset> {
  return new Promise<Dataset>((resolve, reject) => {
    let settled = false;
    let opened: OpenedFile | undefined;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      opened?.destroy();
      reject(streamError(file, err)); // a DataError passes through; zlib and fs errors are named
    };
    const rows = new CsvRows(file, o);
    openCsvText(file, fail).then((text) => {
      opened = text;
      if (text.size === 0) {
        fail(new DataError(`${file}: the file is empty (0 bytes)`));
        return;
      }
      Papa.parse<string[]>(text.stream, {
        header: false,
        delimiter: o.delimiter ?? '',
        skipEmptyLines: false,
        chunk(results, parser) {
          if (settled) return;
          try {
            rows.onPiece(results.data, results.errors);
          } catch (err) {
            fail(err); // first: abort() calls complete() synchronously
            parser.abort();
          }
        },
        complete() {
          if (settled) return;
          try {
            const ds = rows.finish();
            settled = true;
            resolve(ds);
          } catch (err) {
            fail(err);
          }
        },
        error: fail,
      });
    }, fail);
  });
}
