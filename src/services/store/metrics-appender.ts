/**
 * Appends MetricRecords to a run's metrics.ndjson: one JSON object per line, through one
 * append-mode file handle, with an in-memory buffer of whole lines written out when it reaches
 * `maxBufferBytes`, at least every `flushIntervalMs` after a line is buffered, on `flush()` and at
 * `close()`. Every write appends whole lines ending in `\n` at the end of the file (O_APPEND), and
 * nothing is written after a failed write, so a crash or a kill leaves at most a truncated last
 * line, never a damaged earlier one.
 *
 * Not durable by itself: lines reach the OS at each flush (enough to survive a killed process) and
 * the disk at `sync()`/`close()` (enough to survive a power cut). `append` never blocks: while a
 * write is in flight, new lines wait in memory; it returns false when the buffer is past its bound
 * so a producer that can wait should `await flush()`. JSON has no NaN or Infinity: such numbers are
 * written as null. Main thread; one appender per file.
 */
import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { StoreError, wrapIoError } from './errors.js';
import type { MetricRecord } from '../experiments/types.js';

export interface AppenderOptions {
  /** Longest time a buffered line waits before it is written (default 250 ms). */
  flushIntervalMs?: number;
  /** Buffer size at which lines are written at once (default 64 KiB). */
  maxBufferBytes?: number;
}

export class MetricsAppender {
  private lines: string[] = [];
  private bufferedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Writes are chained so they reach the file in order. */
  private chain: Promise<void> = Promise.resolve();
  private failure: StoreError | null = null;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBufferBytes: number;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    opts: AppenderOptions,
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 250;
    this.maxBufferBytes = opts.maxBufferBytes ?? 64 * 1024;
  }

  static async open(file: string, opts: AppenderOptions = {}): Promise<MetricsAppender> {
    try {
      return new MetricsAppender(file, await fs.open(file, 'a'), opts);
    } catch (err) {
      throw wrapIoError(file, 'open the metrics file for appending', err);
    }
  }

  /** Buffers one record as a line. Returns false when the buffer is past its bound (see contract). */
  append(record: MetricRecord): boolean {
    this.check();
    // JSON.stringify escapes newlines inside strings, so a record is always exactly one line.
    const line = JSON.stringify(record) + '\n';
    this.lines.push(line);
    this.bufferedBytes += Buffer.byteLength(line);
    if (this.bufferedBytes >= this.maxBufferBytes) {
      this.flushInBackground();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.flushInBackground(), this.flushIntervalMs);
      this.timer.unref(); // close() flushes; the timer must not keep a finished process alive
    }
    return this.bufferedBytes < this.maxBufferBytes;
  }

  /** Writes every buffered line; resolves when they (and all earlier ones) are in the file. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.lines.length > 0 && this.failure === null) {
      const data = Buffer.from(this.lines.join(''), 'utf8');
      this.lines = [];
      this.bufferedBytes = 0;
      this.chain = this.chain.then(() => this.writeAll(data));
    }
    return this.chain.then(() => {
      if (this.failure) throw this.failure;
    });
  }

  /** Flushes, then asks the OS to put the file on disk. */
  async sync(): Promise<void> {
    await this.flush();
    try {
      await this.handle.sync();
    } catch (err) {
      throw this.fail(wrapIoError(this.file, 'flush the metrics file to disk', err));
    }
  }

  /**
   * Flushes, syncs and closes the file. Safe to call twice; after a failed write every call
   * throws that failure, so a caller cannot mistake a second close for complete metrics.
   */
  async close(): Promise<void> {
    if (this.closed) {
      if (this.failure) throw this.failure;
      return;
    }
    try {
      if (this.failure === null) await this.sync();
    } finally {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    if (this.failure) throw this.failure;
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new StoreError(this.file, 'the metrics file is already closed');
  }

  private flushInBackground(): void {
    // A failure is kept and thrown by the next append/flush/close; nothing to do with it here.
    this.flush().catch(() => undefined);
  }

  private async writeAll(data: Buffer): Promise<void> {
    if (this.failure) return;
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await this.handle.write(data, done, data.length - done);
        done += bytesWritten;
      }
    } catch (err) {
      // Sticky: after a partial write, any later line would follow a damaged one.
      this.fail(wrapIoError(this.file, 'append to the metrics file', err));
    }
  }

  private fail(err: StoreError): StoreError {
    this.failure ??= err;
    return this.failure;
  }
}
