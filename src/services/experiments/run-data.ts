/**
 * The datasets of an experiment's runs: one prepared dataset per distinct data spec of its runs
 * (data factors, spec/data-factors.ts, give variants their own), shared by every run with that
 * spec. Specs that differ only in `preprocess` or `trainSize` share the loaded source rows, so
 * preprocessing variants cost one extra feature matrix each ("none" costs nothing), and train-size
 * variants only their index lists. Every dataset is prepared before any run starts (each variant's
 * config is checked against its own data) and held until the experiment ends. Memory stays
 * bounded as for one dataset: all of them together (loaded rows plus preprocessed matrices) may
 * not pass the per-dataset ceiling (ABLATE_DATASET_MEMORY, docs/data.md "Limits"); past it a
 * DataError says so. Main thread only.
 */
import {
  DataError,
  type Dataset,
  defaultDatasetMemoryLimit,
  formatBytes,
  type DataShape,
  loadDataset,
  type LoadContext,
  loadPrepared,
  prepare,
  type PreparedData,
  type ResolvedDataSpec,
  validateDataSpec,
} from '../../engine/index.js';
import { canonicalJson } from '../canonical-json.js';
import type { PlannedRun } from './types.js';

export interface RunData {
  /** The pool's dataset id. */
  datasetId: string;
  spec: ResolvedDataSpec;
  prepared: PreparedData;
}

export class ExperimentData {
  private readonly byKey = new Map<string, RunData>();
  private readonly sources = new Map<string, Promise<Dataset>>();
  /** Bytes of the loaded rows and the preprocessed matrices held so far. */
  private bytes = 0;

  /** `base`: the experiment's own data spec (runs without a data spec of their own use it). */
  constructor(
    private readonly base: unknown,
    private readonly datasetPrefix: string,
    private readonly ctx: LoadContext,
  ) {}

  /** Prepares the data of every run not prepared yet (in plan order, so the base data comes first). */
  async prepareFor(runs: readonly PlannedRun[]): Promise<void> {
    for (const run of runs) {
      const spec = run.data ?? validateDataSpec(this.base);
      const key = canonicalJson(spec);
      if (this.byKey.has(key)) continue;
      const { preprocess, trainSize, ...source } = spec;
      const sourceKey = canonicalJson(source);
      let dataset = this.sources.get(sourceKey);
      if (!dataset) {
        this.sources.set(sourceKey, (dataset = loadDataset(spec, this.ctx)));
        this.hold(datasetBytes(await dataset));
      }
      const loaded = await dataset;
      const prepared = prepare(loaded, spec.split, preprocess, trainSize);
      if (prepared.features !== loaded.features) this.hold(prepared.features.byteLength);
      // The first dataset keeps the id an experiment without data factors always had.
      const datasetId = this.byKey.size === 0 ? this.datasetPrefix : `${this.datasetPrefix}:data${this.byKey.size}`;
      this.byKey.set(key, { datasetId, spec, prepared });
    }
  }

  private hold(bytes: number): void {
    this.bytes += bytes;
    const limit = this.ctx.memoryLimitBytes ?? defaultDatasetMemoryLimit();
    if (this.byKey.size > 0 && this.bytes > limit) {
      throw new DataError(
        `the data of this experiment's variants (data factors: ${this.byKey.size + 1} data specs so far) would need ${formatBytes(this.bytes)} ` +
          `of memory, more than the limit of ${formatBytes(limit)} per dataset; compare fewer data values (docs/data.md, "Limits")`,
      );
    }
  }

  /** The prepared data of a run (prepareFor must have seen it). */
  of(run: PlannedRun): RunData {
    const d = this.byKey.get(canonicalJson(run.data ?? validateDataSpec(this.base)));
    if (!d) throw new Error(`run-data: the data of run ${run.id} was not prepared`);
    return d;
  }

  /** Every prepared dataset, the base's first. */
  all(): RunData[] {
    return [...this.byKey.values()];
  }
}

/**
 * Prepares data specs for one measurement of a design's variants (the signal check, the
 * learning-rate finder), each distinct spec (canonically equal) once: variants that share data
 * share its promise. Nothing is kept past the function's life.
 */
export function preparedPerSpec(ctx: LoadContext): (data: unknown) => Promise<PreparedData> {
  const byData = new Map<string, Promise<PreparedData>>();
  return (data) => {
    const key = canonicalJson(data);
    let prepared = byData.get(key);
    if (!prepared) byData.set(key, (prepared = loadPrepared(data, ctx).then((r) => r.prepared)));
    return prepared;
  };
}

/**
 * The data spec a stored run trained on: its config.json's `dataSpec`, or, for runs stored before
 * data factors existed (which always trained on the experiment's data), the experiment's.
 */
export function runDataSpec(experiment: { spec: { data: unknown } }, stored: { dataSpec?: unknown } | null | undefined): unknown {
  return stored?.dataSpec ?? experiment.spec.data;
}

function datasetBytes(d: Dataset): number {
  const t = d.targets;
  return d.features.byteLength + (t.kind === 'class' ? t.labels.byteLength : t.values.byteLength);
}

export function dataShape(p: PreparedData): DataShape {
  const t = p.dataset.targets;
  return {
    name: p.dataset.name,
    d: p.dataset.d,
    targets: t.kind === 'class' ? { kind: 'class', classes: t.classNames.length } : { kind: 'vector', width: t.width },
    trainRows: p.splits.train.length,
    validationRows: p.splits.validation.length,
  };
}
