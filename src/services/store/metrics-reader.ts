/**
 * Reads metrics.ndjson back. `readMetrics` reads a whole file: a truncated or unparsable LAST line
 * (what a killed writer can leave) is skipped and reported as `truncatedLastLine`; an unparsable
 * line with anything after it is damage, and a StoreError names the file and the line.
 * `readMetricsFrom` reads incrementally from a byte offset for live tailing: it returns only whole
 * lines (ending in `\n`) and the offset to continue from, so a line being written is picked up by
 * the next call. Both read in chunks and split on the byte `\n` before decoding (a `\n` byte never
 * occurs inside a multi-byte UTF-8 character). Blank lines are skipped.
 *
 * Each line must be a JSON object with a string `kind`; fields are not checked further, and
 * numbers the writer could not represent (NaN, Infinity) read back as null. Reads are bounded: only
 * a regular file is read (a device or a pipe put in its place is refused, never read), up to its
 * size when the call starts, and a line longer than MAX_LINE_BYTES is damage. Async, main thread.
 */
import * as fs from 'node:fs/promises';
import path from 'node:path';
import type { MetricRecord } from '../experiments/types.js';
import { StoreError, wrapIoError } from './errors.js';
import { openRegular } from './files.js';
import { METRICS_FILE } from './layout.js';

const CHUNK = 1 << 20;
/** The writer's lines are a few KiB (a diagnostics record of a wide model: tens of KiB); longer is damage. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface MetricsRead {
  records: MetricRecord[];
  /** True when a truncated or unparsable last line was skipped (a writer stopped mid-line). */
  truncatedLastLine: boolean;
}

export interface MetricsTail {
  records: MetricRecord[];
  /** Byte offset to pass to the next call. */
  nextOffset: number;
  /** 1-based number of the line at nextOffset (exact when the first call started at 0 with line 1). */
  nextLine: number;
  /** True when more whole lines are already there (the call stopped at maxBytes): call again now. */
  more: boolean;
  /** True when the file ends in an unfinished line after nextOffset (being written, or left by a crash). */
  partialLine: boolean;
}

/** All records of `<runDir>/metrics.ndjson`; none when the run has not written any yet. */
export async function readMetrics(runDir: string): Promise<MetricsRead> {
  const file = await metricsFile(runDir);
  const records: MetricRecord[] = [];
  // An unparsable line is held until we know whether anything follows it.
  const held: { bad: { line: number; why: string } | null } = { bad: null };
  const scanned = await scan(file, 0, 1, Infinity, (text, line) => {
    if (held.bad !== null) throw damaged(file, held.bad.line, held.bad.why);
    const parsed = parseRecord(text);
    if (typeof parsed === 'string') held.bad = { line, why: parsed };
    else records.push(parsed);
  });
  if (scanned === null) return { records, truncatedLastLine: false };
  let truncatedLastLine = held.bad !== null;
  if (scanned.tail.trim() !== '') {
    if (held.bad !== null) throw damaged(file, held.bad.line, held.bad.why);
    const parsed = parseRecord(scanned.tail);
    // A complete record missing only its final newline is kept; anything else is a cut-off line.
    if (typeof parsed === 'string') truncatedLastLine = true;
    else records.push(parsed);
  }
  return { records, truncatedLastLine };
}

/**
 * The whole lines of `<runDir>/metrics.ndjson` from `byteOffset` on (at least one line, about
 * `maxBytes` at most when more are there). Pass `nextOffset` (and `nextLine`) back in to continue.
 * Any unparsable whole line is a StoreError naming the file, line and byte offset.
 */
export async function readMetricsFrom(
  runDir: string,
  byteOffset: number,
  opts: { maxBytes?: number; line?: number } = {},
): Promise<MetricsTail> {
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0)
    throw new RangeError(`readMetricsFrom: byteOffset must be a non-negative integer, got ${byteOffset}`);
  const file = await metricsFile(runDir);
  const records: MetricRecord[] = [];
  const firstLine = opts.line ?? 1;
  const scanned = await scan(file, byteOffset, firstLine, opts.maxBytes ?? 4 * CHUNK, (text, line, offset) => {
    const parsed = parseRecord(text);
    if (typeof parsed === 'string') throw damaged(file, line, `${parsed} (byte offset ${offset})`);
    records.push(parsed);
  });
  if (scanned === null) return { records, nextOffset: byteOffset, nextLine: firstLine, more: false, partialLine: false };
  if (scanned.size < byteOffset) {
    throw new StoreError(
      file,
      `is ${scanned.size} bytes, shorter than the offset ${byteOffset} asked for: the file was replaced; read it again from 0`,
    );
  }
  return { records, nextOffset: scanned.end, nextLine: scanned.nextLine, more: scanned.more, partialLine: scanned.tail !== '' };
}

/** The metrics file path; StoreError when the run folder itself does not exist. */
async function metricsFile(runDir: string): Promise<string> {
  try {
    if (!(await fs.stat(runDir)).isDirectory()) throw new StoreError(runDir, 'is not a run folder (not a folder)');
  } catch (err) {
    throw wrapIoError(runDir, 'open the run folder', err);
  }
  return path.join(runDir, METRICS_FILE);
}

/** A record, or why the line is not one. */
function parseRecord(text: string): MetricRecord | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  if (typeof (v as { kind?: unknown }).kind !== 'string') return 'the object has no string "kind"';
  return v as MetricRecord;
}

function damaged(file: string, line: number, why: string): StoreError {
  return new StoreError(file, `line ${line} is damaged: ${why}`);
}

/**
 * Calls onLine for each non-blank whole line from `start`, reading chunks until the end of the file
 * or, once `maxBytes` of whole lines are read, stopping at that line end. Returns null when the
 * file does not exist; otherwise the offset after the last whole line read, the unterminated text
 * at the end of the file (only when the end was reached), whether it stopped early, the next line
 * number and the file size.
 */
async function scan(
  file: string,
  start: number,
  firstLine: number,
  maxBytes: number,
  onLine: (text: string, line: number, offset: number) => void,
): Promise<{ end: number; tail: string; more: boolean; nextLine: number; size: number } | null> {
  const opened = await openRegular(file, Number.MAX_SAFE_INTEGER, 'open the metrics file');
  if (opened === null) return null;
  const handle = opened.handle;
  try {
    // Read up to the size seen now: lines appended meanwhile are for the next call.
    const size = opened.size;
    const buf = Buffer.allocUnsafe(CHUNK);
    // Bytes of an unfinished line, starting at `end`, as the pieces read: a long line is joined and
    // searched once, when its end arrives, never again per chunk (that was quadratic).
    let carry: Buffer[] = [];
    let carryBytes = 0;
    let end = start;
    let line = firstLine;
    let more = false;
    while (!more && end + carryBytes < size) {
      const pos = end + carryBytes;
      const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, size - pos), pos);
      if (bytesRead === 0) break; // the file shrank under us; stop at what we have
      const chunk = buf.subarray(0, bytesRead);
      if (chunk.indexOf(0x0a) === -1) {
        carry.push(Buffer.from(chunk)); // a copy: `buf` is reused
        carryBytes += bytesRead;
        if (carryBytes > MAX_LINE_BYTES) throw damaged(file, line, `longer than ${MAX_LINE_BYTES} bytes without a line break`);
        continue;
      }
      const data = carryBytes > 0 ? Buffer.concat([...carry, chunk]) : chunk;
      let from = 0;
      for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, from)) {
        const text = data.toString('utf8', from, nl);
        if (text.trim() !== '') onLine(text, line, end);
        line++;
        end += nl + 1 - from;
        from = nl + 1;
        if (end - start >= maxBytes) {
          more = end < size;
          break;
        }
      }
      carry = from < data.length ? [Buffer.from(data.subarray(from))] : [];
      carryBytes = data.length - from;
    }
    return { end, tail: more ? '' : Buffer.concat(carry).toString('utf8'), more, nextLine: line, size };
  } catch (err) {
    throw wrapIoError(file, 'read the metrics file', err);
  } finally {
    await handle.close();
  }
}
