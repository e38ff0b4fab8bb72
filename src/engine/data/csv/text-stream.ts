/**
 * Opens a CSV file as a stream of text pieces for papaparse: 1 MiB reads (gunzipped when the file
 * starts with 1f 8b), decoded as UTF-8 in pieces of PIECE_BYTES (a character cut between pieces is
 * carried over by the StringDecoder), a leading BOM removed, each piece ending at a line break (the
 * rest of a line waits for the next piece; a line longer than MAX_CSV_LINE_CHARS fails with its
 * number). papaparse parses each piece synchronously; small pieces keep its garbage short-lived,
 * the 1 MiB reads keep the disk ahead.
 * The first bytes are checked so a binary or UTF-16 file fails with a DataError, not with garbage.
 * Every stream failure reaches `onError` as a DataError naming the file (the caller settles once).
 * Node only.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { DataError } from '../../errors.js';
import { openMaybeGzip, type OpenedFile } from '../files.js';
import { formatBytes, MAX_CSV_LINE_CHARS } from '../limits.js';

export const READ_BYTES = 1 << 20;
export const PIECE_BYTES = 1 << 16;
const SNIFF_BYTES = 1 << 16;

/** Why the first bytes are not UTF-8 text, or undefined when they look fine. */
export function binaryReason(head: Uint8Array): string | undefined {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return 'it is UTF-16 text; save it as UTF-8';
  }
  const nul = head.indexOf(0);
  if (nul >= 0) return `it contains a NUL byte at offset ${nul}, so it is a binary file, not CSV text`;
  try {
    // stream: true tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return 'it is not valid UTF-8 text (a binary file, or a legacy encoding: save it as UTF-8)';
  }
  return undefined;
}

class TextPieces extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private first = true;
  private bom = true;
  /** Text after the last line break pushed (a line still growing); never holds a line break. */
  private carry = '';
  /** The line the carry belongs to (1-based, counted in line breaks). */
  private line = 1;
  /** The character that ends lines: '\n' (LF, CRLF) or '\r' (old Mac), known from the first break. */
  private eol: '\n' | '\r' | null = null;

  constructor(private readonly file: string) {
    super({ readableObjectMode: true });
  }

  override _transform(buf: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.first) {
      this.first = false;
      const why = binaryReason(buf.subarray(0, SNIFF_BYTES));
      if (why) {
        done(new DataError(`${this.file}: cannot read as CSV: ${why}`));
        return;
      }
    }
    // Decode piece by piece: strings of 64 KiB live and die in V8's young generation, while one
    // string per 1 MiB read lands in large-object space and decodes ~20x slower (measured).
    try {
      for (let i = 0; i < buf.length; i += PIECE_BYTES) {
        let text = this.decoder.write(buf.subarray(i, i + PIECE_BYTES));
        if (this.bom && text.length > 0) {
          this.bom = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        if (text.length > 0) this.takeText(text);
      }
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  }

  /**
   * Pushes the text up to its last line break, together with the carry; keeps the rest. So every
   * piece papaparse gets ends a line and it never re-parses a partial line (papaparse prepends its
   * partial line to each new piece: a long line cut into many pieces was rescanned each time,
   * quadratic in its length). A line past MAX_CSV_LINE_CHARS fails at once with its number.
   */
  private takeText(text: string): void {
    this.eol ??= text.includes('\n') ? '\n' : text.slice(0, -1).includes('\r') ? '\r' : null;
    const cut = this.eol === null ? -1 : text.lastIndexOf(this.eol) + 1;
    if (cut <= 0) {
      this.carry += text;
      this.checkLine(this.carry.length);
      return;
    }
    const firstBreak = text.indexOf(this.eol!);
    this.checkLine(this.carry.length + firstBreak);
    let breaks = 0;
    for (let j = firstBreak; j >= 0 && j < cut; j = text.indexOf(this.eol!, j + 1)) breaks++;
    this.push(this.carry + text.slice(0, cut));
    this.carry = text.slice(cut);
    this.line += breaks;
    this.checkLine(this.carry.length);
  }

  private checkLine(length: number): void {
    if (length <= MAX_CSV_LINE_CHARS) return;
    throw new DataError(
      `${this.file}: line ${this.line} is longer than ${MAX_CSV_LINE_CHARS.toLocaleString('en-US')} characters ` +
        `(${formatBytes(MAX_CSV_LINE_CHARS)}), the longest line a CSV file may have: is this really a CSV file, ` +
        `with a line break after each row? (docs/data.md, "Limits")`,
    );
  }

  override _flush(done: TransformCallback): void {
    const rest = this.carry + this.decoder.end();
    this.carry = '';
    if (rest.length > 0) this.push(rest);
    done();
  }
}

/**
 * A readable stream of strings, and `destroy` for the whole chain (file, gunzip, decoder).
 * `onError` receives the first failure (missing file, truncated gzip, binary content) as a
 * DataError; the chain is destroyed after it. `size` is the file's size on disk.
 */
export async function openCsvText(file: string, onError: (err: DataError) => void): Promise<OpenedFile> {
  return openMaybeGzip(file, READ_BYTES, onError, new TextPieces(file));
}
