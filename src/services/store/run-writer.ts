/**
 * RunWriter: writes one run's folder in the order that makes a crash harmless:
 *   1. writeConfig   config.json (atomic), then opens metrics.ndjson for appending
 *   2. append        metric lines (buffered, see metrics-appender.ts), any number of times
 *   3. writeWeights  weights.bin, then its index weights.index.json (both atomic), optional
 *   4. writeSummary  flushes and fsyncs the metrics, checks summary.weightsSha256 against the
 *                    weights written, then writes summary.json (atomic) — always last. A summary
 *                    with a final status needs complete metrics; a failed or cancelled one is
 *                    written even when the metrics file broke (it says why the run failed)
 *   5. close         (also after a failure: leaves an incomplete run for a later resume); ends
 *                    the run's claim
 * So a summary.json with a final status implies a durable config.json, complete metrics, and
 * weights.bin whose parameter bytes hash to summary.weightsSha256, with its index (when that is
 * not null). Calls out of this order
 * throw a StoreError. Created by ExperimentHandle.runWriter; not for concurrent use (await each
 * call except `append`). Main thread.
 */
import path from 'node:path';
import { planModel } from '../../engine/index.js';
import type { MetricRecord, RunSummary } from '../experiments/types.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { StoreError } from './errors.js';
import {
  CONFIG_FILE,
  isFinalStatus,
  METRICS_FILE,
  SUMMARY_FILE,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
  type StoredRunConfig,
} from './layout.js';
import { MetricsAppender, type AppenderOptions } from './metrics-appender.js';
import { encodeWeights } from './weights.js';
import { weightsIndex } from './weights-index.js';

export class RunWriter {
  private metrics: MetricsAppender | null = null;
  private config: StoredRunConfig | null = null;
  private weightsSha: string | null = null;
  private summarized = false;
  private closed = false;

  /** @internal Use ExperimentHandle.runWriter. */
  constructor(
    readonly runId: string,
    readonly dir: string,
    private readonly metricsOptions: AppenderOptions,
    private readonly onClose: () => void | Promise<void>,
    /** Resolves when this process still owns the run (its claim, the writer lock); StoreError otherwise. Awaited before each file is written. */
    private readonly owned: () => Promise<void> = async () => undefined,
  ) {}

  async writeConfig(config: StoredRunConfig): Promise<void> {
    const file = path.join(this.dir, CONFIG_FILE);
    this.checkOpen();
    if (this.metrics !== null) throw new StoreError(file, 'config.json is written once per run');
    if (config.runId !== this.runId) throw new StoreError(file, `the config is for run "${config.runId}", not "${this.runId}"`);
    await this.owned();
    await writeJsonAtomic(file, config);
    this.config = config;
    this.metrics = await MetricsAppender.open(path.join(this.dir, METRICS_FILE), this.metricsOptions);
  }

  /** Buffers one metric line; false when the buffer is past its bound (a producer may `await flush()`). */
  append(record: MetricRecord): boolean {
    return this.requireMetrics('append metrics').append(record);
  }

  /** Writes the buffered metric lines out (to the OS, not yet to the disk). */
  flush(): Promise<void> {
    return this.requireMetrics('flush metrics').flush();
  }

  /**
   * Writes weights.bin and weights.index.json (where each tensor lies, from the model plan of the
   * config written); returns the SHA-256 of the parameter part. StoreError when the arrays do not
   * have the sizes of the config's model.
   */
  async writeWeights(params: Float32Array, bnBuffers: Float32Array): Promise<string> {
    this.requireMetrics('write weights');
    const file = path.join(this.dir, WEIGHTS_FILE);
    const plan = planModel(this.config!.config.model);
    if (params.length !== plan.paramCount || bnBuffers.length !== plan.bufferCount) {
      throw new StoreError(
        file,
        `the weights have ${params.length} parameters and ${bnBuffers.length} buffer values, but the run's model has ` +
          `${plan.paramCount} and ${plan.bufferCount}`,
      );
    }
    const { bytes, paramsSha256 } = encodeWeights(params, bnBuffers);
    await this.owned();
    await writeFileAtomic(file, bytes);
    await writeJsonAtomic(path.join(this.dir, WEIGHTS_INDEX_FILE), weightsIndex(plan, paramsSha256));
    this.weightsSha = paramsSha256;
    return paramsSha256;
  }

  async writeSummary(summary: RunSummary): Promise<void> {
    const file = path.join(this.dir, SUMMARY_FILE);
    const metrics = this.requireMetrics('write the summary');
    if (summary.runId !== this.runId) throw new StoreError(file, `the summary is for run "${summary.runId}", not "${this.runId}"`);
    if (summary.weightsSha256 !== null && summary.weightsSha256 !== this.weightsSha) {
      throw new StoreError(
        file,
        this.weightsSha === null
          ? 'the summary names a weightsSha256 but no weights were written (writeWeights comes before writeSummary)'
          : `the summary's weightsSha256 ${summary.weightsSha256} is not the SHA-256 of the weights written (${this.weightsSha})`,
      );
    }
    try {
      await metrics.close(); // every metric line on disk before the summary says the run is done
    } catch (err) {
      // A failed or cancelled run is rerun on resume, so its summary may record a broken metrics
      // file (disk full): only a final status promises complete metrics.
      if (isFinalStatus(summary.status)) throw err;
    }
    await this.owned();
    await writeJsonAtomic(file, summary);
    this.summarized = true;
  }

  /** Flushes and closes the metrics file. Without a summary first, the run stays incomplete. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.metrics?.close();
    } finally {
      await this.onClose();
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError(this.dir, `the writer of run "${this.runId}" is closed`);
    if (this.summarized) throw new StoreError(this.dir, `run "${this.runId}" already has its summary; nothing more is written to it`);
  }

  private requireMetrics(doing: string): MetricsAppender {
    this.checkOpen();
    if (this.metrics === null)
      throw new StoreError(path.join(this.dir, CONFIG_FILE), `cannot ${doing} before config.json: call and await writeConfig first`);
    return this.metrics;
  }
}
