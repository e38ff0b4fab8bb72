/**
 * A test-only, in-memory implementation of the `Api` with realistic data: three stored
 * experiments (a finished deep-activation study with vanishing gradients, a running
 * regularization study that streams live progress, a finished 2-D spiral study with decision
 * boundaries and one diverged and one failed run), the example cards, validation with the back
 * end's wording, data previews, comparisons with t-intervals and paired differences, diagnostics,
 * ONNX reports and file saves (recorded on `saved`). Used by the preview script and e2e tests.
 */
import type {
  Api,
  ApiEvent,
  Comparison,
  CrossComparison,
  CrossRunCurve,
  DataPreview,
  DeletedExperiment,
  ExperimentLabels,
  ExperimentListItem,
  ExperimentSpec,
  ExperimentView,
  FieldError,
  Interval,
  MetricRecord,
  Result,
  RunSummary,
  RunView,
  SearchView,
  UnitsLearned,
  ValidationReport,
  Variant,
  VariantResult,
} from '../../src/shared/api.js';
import { bandOf } from '../../src/renderer/src/lib/stats.js';
import { countComplete, countStates, experimentState } from '../../src/shared/run-state.js';
import { meanInterval, metricRange } from '../../src/shared/intervals.js';
import { circles, diagnostics, runTrace, spiral, spiralBoundary, xor, type Behaviour, type Points, type RunTrace } from './fake-data.js';
import { initMatters, reluVsSigmoid, spiralStudy, tamingOverfitting } from './fake-specs.js';
import { validateSpec } from './fake-validate.js';
import { LR_RANGE_DEFAULTS, LrRangeTracker, lrAt } from '../../src/engine/train/lr-range.js';

export interface FakeOptions {
  /** Start with an empty store (first launch). */
  empty?: boolean;
  /** Stream progress of the running experiment every `tickMs` (default on, 250 ms). */
  live?: boolean;
  tickMs?: number;
  /** Artificial latency of every call, ms. */
  latency?: number;
  /** Play a browser host (`ablate serve`): no native dialogs, typed paths under the file roots. */
  browser?: boolean;
}

interface FakeRun {
  id: string;
  variant: Variant;
  seed: number;
  behaviour: Behaviour;
  trace: RunTrace;
  /** Steps revealed so far (live runs); Infinity when finished. */
  shown: number;
  state: 'queued' | 'running' | 'done';
  hasOnnx: boolean;
  quality: number;
}

interface FakeExperiment {
  id: string;
  spec: ExperimentSpec;
  createdAt: string;
  variants: Variant[];
  runs: FakeRun[];
  data: DataPreview;
  points: Points | null;
  labels: ExperimentLabels;
}

const ENGINE = '0.1.0';
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function expandVariants(spec: ExperimentSpec): Variant[] {
  const entries = Object.entries(spec.compare ?? {});
  if (entries.length === 0) return [{ id: 'base', label: 'base', factors: {} }];
  let combos: Array<Record<string, unknown>> = [{}];
  for (const [k, values] of entries) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  return combos.map((f) => ({
    id: Object.entries(f)
      .map(([k, v]) => `${k}=${valueText(v)}`)
      .join(','),
    label: Object.entries(f)
      .map(([k, v]) => (k === 'width' ? `width ${valueText(v)}` : valueText(v)))
      .join(' · '),
    factors: f,
  }));
}

function seedsOf(spec: ExperimentSpec): number[] {
  const s = spec.seeds;
  return Array.isArray(s) ? s : Array.from({ length: s.count }, (_, i) => (s.start ?? 0) + i);
}

function behaviourOf(spec: ExperimentSpec, v: Variant): { b: Behaviour; quality: number } {
  const f = v.factors;
  const activation = String(f.activation ?? spec.model.hidden[0]?.activation ?? 'relu');
  const layers = Number(f.depth ?? spec.model.hidden.length);
  const classification = spec.model.head !== 'linear';
  const twoD = spec.data.source === 'synthetic';
  const b: Behaviour = {
    speed: { sigmoid: 0.22, tanh: 0.42, relu: 0.75, elu: 0.7 }[activation] ?? 0.6,
    plateau: activation === 'sigmoid' ? Math.min(6, layers * 0.9) : activation === 'tanh' ? 0.6 : 0,
    trainFloor: twoD ? 0.08 : 0.03,
    valFloor: twoD ? 0.14 : 0.11,
    overfit: 0,
    overfitFrom: 99,
    spread: 0.05,
    initialLoss: twoD ? Math.log(3) : Math.log(10),
    earlyStop: null,
    divergeAtStep: null,
    failReason: null,
    activation,
    layers,
    classification,
  };
  const reg = String(f.regularizer ?? '');
  if (f.regularizer !== undefined) {
    b.speed = 0.9;
    b.overfitFrom = 6;
    b.overfit = { none: 0.022, 'l2-1e-4': 0.008, 'dropout-0.5': 0.002, batchnorm: 0.012, 'early-stopping': 0.022 }[reg] ?? 0.01;
    if (reg === 'dropout-0.5') b.speed = 0.55;
    if (reg === 'batchnorm') b.speed = 1.3;
    if (reg === 'early-stopping') b.earlyStop = 4;
    b.trainFloor = reg === 'none' || reg === 'early-stopping' ? 0.004 : 0.03;
    b.valFloor = reg === 'dropout-0.5' ? 0.075 : 0.09;
  }
  const init = String(f.init ?? '');
  if (init === 'normal-0.01') {
    b.plateau = 5;
    b.speed = 0.3;
  }
  if (init === 'normal-1') {
    b.speed = 0.12;
    b.valFloor = 0.6;
    b.spread = 0.2;
  }
  let quality = 0.8;
  if (twoD) {
    const width = Number(f.width ?? 32);
    quality = Math.min(0.97, 0.25 + 0.18 * Math.log2(width / 4)) * (activation === 'relu' ? 1 : 0.85);
    b.valFloor = 0.06 + (1 - quality) * 0.5;
    b.trainFloor = b.valFloor * 0.7;
    b.speed = 0.12 + quality * 0.2;
  }
  return { b, quality };
}

function preview(spec: ExperimentSpec): { data: DataPreview; points: Points | null } {
  const d = spec.data;
  const split = (n: number) => {
    const v = Math.round(n * (d.split?.validation ?? 0.1));
    const t = Math.round(n * (d.split?.test ?? 0.1));
    return { train: n - v - t, validation: v, test: t };
  };
  if (d.source === 'synthetic') {
    const k = d.kind === 'xor' ? 2 : d.kind === 'circles' ? 2 : (d.classes ?? 2);
    const pts =
      d.kind === 'circles'
        ? circles(d.n, d.noise ?? 0.1, d.seed ?? 0)
        : d.kind === 'xor'
          ? xor(d.n, d.noise ?? 0.1, d.seed ?? 0)
          : spiral(d.n, k, d.noise ?? 0.1, d.seed ?? 0);
    const regression = !['circles', 'xor', 'gaussians', 'spiral'].includes(d.kind);
    return {
      data: {
        name: d.kind,
        n: d.n,
        d: regression && d.kind === 'sine' ? 1 : 2,
        task: regression ? 'regression' : 'classification',
        classNames: regression ? [] : Array.from({ length: k }, (_, i) => `class ${i}`),
        featureNames: ['x1', 'x2'],
        rows: pts.x.slice(0, 20).map((x, i) => ({ features: [x, pts.y[i]], target: String(pts.label[i]) })),
        scatter: regression ? null : { x: pts.x.slice(0, 2000), y: pts.y.slice(0, 2000), label: pts.label.slice(0, 2000) },
        images: null,
        splits: split(d.n),
        provenance: `synthetic ${d.kind}, ${d.n} rows, noise ${d.noise ?? 0.1}, seed ${d.seed ?? 0}`,
      },
      points: regression ? null : pts,
    };
  }
  if (d.source === 'csv') {
    return {
      data: {
        name: 'iris.csv',
        n: 150,
        d: 4,
        task: 'classification',
        classNames: ['setosa', 'versicolor', 'virginica'],
        featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
        rows: Array.from({ length: 20 }, (_, i) => ({
          features: [5.1 + (i % 7) * 0.2, 3.5 - (i % 5) * 0.1, 1.4 + (i % 9) * 0.4, 0.2 + (i % 4) * 0.3],
          target: ['setosa', 'versicolor', 'virginica'][i % 3],
        })),
        scatter: null,
        images: null,
        splits: split(150),
        provenance: `${d.path || 'iris.csv'}: 150 rows, 5 columns, target "species"`,
      },
      points: null,
    };
  }
  const n = 10000;
  return {
    data: {
      name: d.source === 'idx' ? 'fashion-mnist' : 'mnist',
      n,
      d: 784,
      task: 'classification',
      classNames: Array.from({ length: 10 }, (_, i) => String(i)),
      featureNames: Array.from({ length: 784 }, (_, i) => `px${Math.floor(i / 28)}_${i % 28}`),
      rows: Array.from({ length: 20 }, (_, r) => ({
        features: Array.from({ length: 784 }, (_, i) => ((i * 7 + r * 13) % 97 > 80 ? ((i + r) % 255) / 255 : 0)),
        target: String(r % 10),
      })),
      scatter: null,
      images: null,
      splits: split(n),
      provenance: 'MNIST test set (10,000 digits), LeCun, Cortes & Burges; embedded',
    },
    points: null,
  };
}

export class FakeApi implements Api {
  readonly saved: Array<{ name: string; content: string; encoding: 'utf8' | 'base64' }> = [];
  readonly #experiments = new Map<string, FakeExperiment>();
  readonly #trash = new Map<string, FakeExperiment & { deletedAt: string }>();
  readonly #listeners = new Set<(e: ApiEvent) => void>();
  readonly #opts: FakeOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #next = 1;

  constructor(opts: FakeOptions = {}) {
    this.#opts = opts;
    if (!opts.empty) {
      this.#add(reluVsSigmoid(), '2025-11-27T09:12:00Z', 'done');
      this.#add(spiralStudy(), '2025-11-28T16:40:00Z', 'done');
      this.#add(tamingOverfitting(), '2025-11-29T14:02:00Z', 'live');
    }
    if (opts.live !== false) this.#timer = setInterval(() => this.#tick(), opts.tickMs ?? 250);
  }

  #add(spec: ExperimentSpec, createdAt: string, mode: 'done' | 'live' | 'queued'): string {
    const id = `${createdAt.slice(0, 10)}-${spec.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 24)}-${this.#next++}`;
    const variants = expandVariants(spec);
    const seeds = seedsOf(spec);
    const { data, points } = preview(spec);
    const stepsPerEpoch = Math.ceil(data.splits.train / spec.train.batchSize);
    const runs: FakeRun[] = [];
    variants.forEach((v, vi) => {
      const { b, quality } = behaviourOf(spec, v);
      for (const seed of seeds) {
        const bb = { ...b };
        if (spec.data.source === 'synthetic' && v.factors.width === 128 && v.factors.activation === 'tanh' && seed === 2)
          bb.divergeAtStep = 3 * stepsPerEpoch + 17;
        if (spec.data.source === 'synthetic' && v.factors.width === 8 && v.factors.activation === 'relu' && seed === 1)
          bb.failReason = 'worker 3 exited unexpectedly (out of memory); the pool replaced it';
        const trace = runTrace(bb, seed, spec.train.epochs, Math.min(stepsPerEpoch, 120), spec.train.optimizer.lr);
        runs.push({
          id: `${vi}-${v.id.replace(/[^a-z0-9]+/gi, '-')}-s${seed}`,
          variant: v,
          seed,
          behaviour: bb,
          trace,
          shown: Infinity,
          state: 'done',
          hasOnnx: false,
          quality,
        });
      }
    });
    if (mode !== 'done') {
      runs.forEach((r, i) => {
        if (mode === 'queued') {
          r.state = 'queued';
          r.shown = 0;
        } else if (i < 4) r.state = 'done';
        else if (i < 8) {
          r.state = 'running';
          r.shown = Math.floor(r.trace.totalSteps * (0.2 + 0.15 * (i - 4)));
        } else {
          r.state = 'queued';
          r.shown = 0;
        }
      });
    }
    const labels = { name: null, tags: [], archived: false, copiedFrom: null };
    this.#experiments.set(id, { id, spec, createdAt, variants, runs, data, points, labels });
    return id;
  }

  #delay(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.#opts.latency ?? 20));
  }

  #emit(e: ApiEvent): void {
    for (const l of this.#listeners) l(e);
  }

  #revealed(r: FakeRun): MetricRecord[] {
    if (r.state === 'done') return r.trace.steps;
    return r.trace.steps.filter((s) =>
      s.kind === 'step' ? s.step < r.shown : s.kind === 'epoch' ? (s.epoch + 1) * r.trace.stepsPerEpoch <= r.shown : false,
    );
  }

  #epochs(r: FakeRun) {
    if (r.state === 'done') return r.trace.epochs;
    return r.trace.epochs.filter((e) => (e.epoch + 1) * r.trace.stepsPerEpoch <= r.shown);
  }

  #summary(exp: FakeExperiment, r: FakeRun): RunSummary | null {
    if (r.state !== 'done') return null;
    const t = r.trace;
    const final = t.epochs.at(-1) ?? null;
    const best = t.epochs[t.bestEpoch] ?? final;
    const seconds = t.epochs.reduce((a, e) => a + e.seconds, 0) + 0.4;
    return {
      runId: r.id,
      variantId: r.variant.id,
      seed: r.seed,
      status: t.status,
      stopReason: t.stopReason,
      epochsRun: t.epochs.length,
      steps: t.totalSteps,
      bestEpoch: final ? t.bestEpoch : null,
      stoppedEpoch: t.stoppedEpoch,
      restoredBestWeights: t.status === 'early_stopped',
      divergedAtStep: t.status === 'diverged' ? r.behaviour.divergeAtStep : null,
      final,
      best,
      test:
        best && t.status !== 'failed'
          ? { loss: best.valLoss! * 1.04, accuracy: best.valAccuracy === null ? null : best.valAccuracy - 0.004, n: exp.data.splits.test }
          : null,
      timings: { startedAt: exp.createdAt, finishedAt: exp.createdAt, seconds, samplesPerSec: 5200 },
      weightsSha256: t.status === 'failed' ? null : 'ab'.repeat(32),
      kernels: 'wasm',
      threads: 1,
      engineVersion: ENGINE,
    };
  }

  #runView(exp: FakeExperiment, r: FakeRun): RunView {
    const summary = this.#summary(exp, r);
    const e = Math.min(exp.spec.train.epochs - 1, Math.floor(r.shown / r.trace.stepsPerEpoch));
    return {
      runId: r.id,
      variantId: r.variant.id,
      seed: r.seed,
      status: r.state === 'done' ? r.trace.status : r.state,
      threads: r.state === 'running' ? 1 : null,
      epochs: exp.spec.train.epochs,
      damage: null,
      progress:
        r.state === 'running'
          ? {
              epoch: e,
              epochs: exp.spec.train.epochs,
              step: r.shown,
              loss:
                this.#revealed(r)
                  .filter((s) => s.kind === 'step')
                  .at(-1)?.loss ?? null,
            }
          : null,
      summary,
      hasOnnx: r.hasOnnx,
    };
  }

  #tick(): void {
    for (const exp of this.#experiments.values()) {
      const running = exp.runs.filter((r) => r.state === 'running');
      if (running.length === 0 && !exp.runs.some((r) => r.state === 'queued')) continue;
      for (const r of running) {
        const before = r.shown;
        r.shown = Math.min(r.trace.totalSteps, r.shown + 9);
        const records = this.#revealed(r).filter((s) =>
          s.kind === 'step' ? s.step >= before : s.kind === 'epoch' && (s.epoch + 1) * r.trace.stepsPerEpoch > before,
        );
        if (records.some((s) => s.kind === 'epoch'))
          records.push({ kind: 'diag', step: r.shown, epoch: 0, gradNorm: 1, clipCoef: 1, layers: [] });
        const v = this.#runView(exp, r);
        this.#emit({
          type: 'run-progress',
          experimentId: exp.id,
          runId: r.id,
          epoch: v.progress!.epoch,
          epochs: exp.spec.train.epochs,
          step: r.shown,
          loss: v.progress!.loss,
          records,
        });
        if (r.shown >= r.trace.totalSteps) {
          r.state = 'done';
          r.shown = Infinity;
          this.#emit({ type: 'run-finished', experimentId: exp.id, runId: r.id, summary: this.#summary(exp, r)! });
          const next = exp.runs.find((q) => q.state === 'queued');
          if (next) next.state = 'running';
        }
      }
      const busy = exp.runs.filter((r) => r.state === 'running').length;
      const queued = exp.runs.filter((r) => r.state === 'queued').length;
      this.#emit({ type: 'pool', busy, workers: 8, running: busy, queued, samplesPerSec: busy * 5230 + (busy ? 211 : 0) });
      if (busy === 0 && queued === 0) this.#emit({ type: 'experiment-finished', experimentId: exp.id });
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  // ---- Api ----------------------------------------------------------------------------------

  async appInfo() {
    await this.#delay();
    return ok({
      name: 'Ablate',
      version: '0.1.0',
      engineVersion: ENGINE,
      workers: 8,
      kernels: 'wasm' as const,
      storePath: this.#opts.browser ? '/home/researcher/ablate-runs' : '/home/researcher/.config/Ablate/experiments',
      nativeDialogs: !this.#opts.browser,
      fileRoots: this.#opts.browser
        ? ['/home/researcher/ablate-runs', '/home/researcher/data']
        : ['/home/researcher/.config/Ablate/experiments'],
      trash: this.#opts.browser ? ('store' as const) : ('os' as const),
    });
  }

  async listExperiments() {
    await this.#delay();
    const items: ExperimentListItem[] = [...this.#experiments.values()].map((e) => {
      const counts = countStates(e.runs.map((r) => this.#runView(e, r).status));
      return {
        id: e.id,
        name: e.spec.name,
        createdAt: e.createdAt,
        runCount: counts.total,
        completedRuns: countComplete(counts),
        status: experimentState(counts),
        counts,
        labels: e.labels,
      };
    });
    return ok(items);
  }

  async loadExperiment(id: string) {
    await this.#delay();
    const e = this.#experiments.get(id);
    if (!e) return fail<ExperimentView>(`no experiment "${id}" in the store`);
    const runs = e.runs.map((r) => this.#runView(e, r));
    return ok<ExperimentView>({
      experiment: { id, spec: e.spec, engineVersion: ENGINE, createdAt: e.createdAt, specHash: 'f'.repeat(64) },
      variants: e.variants,
      runs,
      data: e.data,
      running: runs.some((r) => r.status === 'running' || r.status === 'queued'),
      labels: e.labels,
    });
  }

  /** An experiment to change: an error for an unknown one, or (with `idle`) one still training. */
  #managed(id: string, idle = false): FakeExperiment | string {
    const e = this.#experiments.get(id);
    if (!e) return `no experiment "${id}" in the store`;
    if (idle && e.runs.some((r) => r.state !== 'done')) return `cannot change "${id}" while it is training: cancel its runs first`;
    return e;
  }

  async renameExperiment(id: string, name: string | null) {
    await this.#delay();
    const e = this.#managed(id, true);
    if (typeof e === 'string') return fail<null>(e);
    e.labels = { ...e.labels, name: name === null || name.trim() === e.spec.name ? null : name.trim() };
    return ok(null);
  }

  async tagExperiment(id: string, tags: string[]) {
    await this.#delay();
    const e = this.#managed(id);
    if (typeof e === 'string') return fail<null>(e);
    e.labels = { ...e.labels, tags: [...new Set(tags.map((t) => t.trim()).filter(Boolean))] };
    return ok(null);
  }

  async archiveExperiment(id: string, archived: boolean) {
    await this.#delay();
    const e = this.#managed(id);
    if (typeof e === 'string') return fail<null>(e);
    e.labels = { ...e.labels, archived };
    return ok(null);
  }

  async duplicateExperiment(id: string) {
    await this.#delay();
    const e = this.#managed(id);
    if (typeof e === 'string') return fail<{ experimentId: string }>(e);
    const copy = this.#add({ ...e.spec, name: `${e.labels.name ?? e.spec.name} (copy)` }, new Date().toISOString(), 'queued');
    this.#experiments.get(copy)!.labels = { ...e.labels, name: null, archived: false, copiedFrom: id };
    return ok({ experimentId: copy });
  }

  async deleteExperiment(id: string) {
    await this.#delay();
    const e = this.#managed(id, true);
    if (typeof e === 'string') return fail<DeletedExperiment>(e);
    this.#experiments.delete(id);
    const deletedAt = new Date().toISOString();
    const trashId = `${deletedAt.replace(/[-:.]/g, '')}.${id}`;
    this.#trash.set(trashId, { ...e, deletedAt });
    return ok<DeletedExperiment>(this.#opts.browser ? { where: 'store', trashId } : { where: 'os', trashId: null });
  }

  async listTrash() {
    await this.#delay();
    const items = [...this.#trash].map(([trashId, e]) => ({
      trashId,
      id: e.id,
      name: e.labels.name ?? e.spec.name,
      deletedAt: e.deletedAt,
    }));
    return ok(items.reverse());
  }

  async restoreExperiment(trashId: string) {
    await this.#delay();
    const e = this.#trash.get(trashId);
    if (!e) return fail<{ experimentId: string }>(`"${trashId}" is not in the trash`);
    if (this.#experiments.has(e.id)) return fail<{ experimentId: string }>(`an experiment "${e.id}" exists again: move it away first`);
    this.#trash.delete(trashId);
    this.#experiments.set(e.id, e);
    return ok({ experimentId: e.id });
  }

  async validateExperiment(spec: unknown) {
    await this.#delay();
    return ok<FieldError[]>(validateSpec(spec));
  }

  async previewData(data: unknown) {
    await this.#delay();
    const d = data as ExperimentSpec['data'];
    if (!d || typeof d !== 'object') return fail<DataPreview>('data must be an object');
    if (d.source === 'csv' && !d.path) return fail<DataPreview>('Choose a CSV file: data.path is empty.');
    if (d.source === 'idx' && (!d.images || !d.labels)) return fail<DataPreview>('Choose both IDX files (images and labels).');
    if (d.source === 'synthetic' && !(Number(d.n) > 0)) return fail<DataPreview>('data.n must be at least 1');
    return ok(preview({ ...reluVsSigmoid(), data: d }).data);
  }

  async startExperiment(spec: unknown) {
    await this.#delay();
    const errors = validateSpec(spec);
    if (errors.length)
      return fail<{ experimentId: string }>(`the experiment has ${errors.length} problems: ${errors[0].path} ${errors[0].message}`);
    const s = spec as ExperimentSpec;
    const existing = [...this.#experiments.values()].find((e) => JSON.stringify(e.spec) === JSON.stringify(s));
    if (existing) return ok({ experimentId: existing.id });
    const id = this.#add(s, new Date().toISOString(), 'queued');
    const exp = this.#experiments.get(id)!;
    exp.runs.slice(0, 8).forEach((r) => (r.state = 'running'));
    const runs = exp.runs.map((r) => ({ runId: r.id, variantId: r.variant.id, seed: r.seed, epochs: s.train.epochs }));
    setTimeout(() => this.#emit({ type: 'experiment-started', experimentId: id, runs, skipped: [] }), 10);
    return ok({ experimentId: id });
  }

  async estimateExperiment(spec: unknown) {
    await this.#delay();
    const s = spec as ExperimentSpec;
    const seeds = Array.isArray(s.seeds) ? s.seeds.length : s.seeds.count;
    const variants = Object.values(s.compare ?? {}).reduce((n, values) => n * values.length, 1);
    // A fake calibration: 2 ms per step of 100 steps an epoch, on 8 workers.
    const seconds = (variants * seeds * s.train.epochs * 100 * 0.002) / 8;
    return ok({ seconds, low: seconds * 0.8, high: seconds * 1.2, earlyStopping: Boolean(s.train.earlyStopping), calibrated: [] });
  }

  /** A made-up range test per compare value of the first factor: the loss falls until 0.05 x the variant's index + 1, then explodes. */
  async findLearningRate(spec: unknown) {
    await this.#delay();
    const s = spec as ExperimentSpec;
    const [factor, values] = Object.entries(s.compare ?? {})[0] ?? ['', ['base']];
    const variants = values.map((v, k) => {
      const t = new LrRangeTracker(LR_RANGE_DEFAULTS);
      const knee = 0.05 * (k + 1);
      for (let i = 0; i < LR_RANGE_DEFAULTS.steps; i++) {
        const lr = lrAt(LR_RANGE_DEFAULTS, i);
        if (!t.add(lr, 2.3 / (1 + 40 * Math.sqrt(lr)) + Math.pow(lr / knee, 3))) break;
      }
      const label = String(v);
      return { variantId: factor ? `${factor}=${label}` : 'base', label, result: t.result() };
    });
    return ok({ seed: 1, kernels: 'naive' as const, trainRows: 800, variants });
  }

  /** A fake measurement: each layer halves the gradient's variance going down, zero init zeroes it. */
  async designSignal(spec: unknown) {
    await this.#delay();
    const s = spec as ExperimentSpec;
    const inits = (s.compare?.init as string[] | undefined) ?? [s.model.init.weights];
    const hidden = s.model.hidden;
    const variants = inits.map((init) => {
      const zero = init === 'zeros';
      const layers = [
        ...hidden.map((h, l) => ({ name: `hidden.${l}`, width: h.width })),
        { name: 'output', width: s.model.outputSize },
      ].map((l, i, all) => ({
        layer: i,
        ...l,
        preActivationVar: zero && i < all.length - 1 ? 0 : 1,
        activationVar: i < all.length - 1 ? (zero ? 0 : 0.5) : null,
        gradVar: zero && i < all.length - 1 ? 0 : 1e-4 * 0.5 ** (all.length - 1 - i),
      }));
      const ratio = zero ? 0 : Math.sqrt(layers[0].gradVar / layers.at(-1)!.gradVar);
      const text = zero
        ? 'The gradient is exactly zero at every hidden layer: no hidden layer would learn anything from this initialization.'
        : `With this initialization the gradient shrinks ${(1 / ratio).toFixed(2)}x from the output to hidden.0.`;
      return {
        variantId: `init=${init}`,
        label: init,
        seed: 1,
        rows: s.train.batchSize,
        batch: 'first-training-batch' as const,
        loss: 2.3,
        layers,
        reading: { gradientRatio: ratio, text },
      };
    });
    return ok({ dataset: String(s.data.source), trainRows: 1000, variants, totalVariants: variants.length });
  }

  async unitsLearned(experimentId: string, _seed: number | null) {
    await this.#delay();
    if (!this.#experiments.has(experimentId)) return fail<UnitsLearned>(`no experiment "${experimentId}" in the store`);
    return ok<UnitsLearned>({ kind: 'none', reason: 'the demo store keeps no weights to draw' });
  }

  async resumeExperiment(experimentId: string) {
    await this.#delay();
    const e = this.#experiments.get(experimentId);
    if (!e) return fail<{ experimentId: string }>(`no experiment "${experimentId}" in the store`);
    return this.startExperiment(e.spec);
  }

  async cancelRun(experimentId: string, runId: string) {
    await this.#delay();
    const r = this.#experiments.get(experimentId)?.runs.find((x) => x.id === runId);
    if (!r) return fail<null>('no such run');
    if (r.state !== 'done') {
      r.trace = {
        ...r.trace,
        status: 'cancelled',
        stopReason: 'cancelled by the user',
        epochs: this.#epochs(r),
        totalSteps: Math.min(r.shown, r.trace.totalSteps),
      };
      r.state = 'done';
      r.shown = Infinity;
      this.#emit({ type: 'run-finished', experimentId, runId, summary: this.#summary(this.#experiments.get(experimentId)!, r)! });
    }
    return ok(null);
  }

  async cancelExperiment(experimentId: string) {
    const e = this.#experiments.get(experimentId);
    if (!e) return fail<null>('no such experiment');
    for (const r of e.runs) if (r.state !== 'done') await this.cancelRun(experimentId, r.id);
    this.#emit({ type: 'experiment-finished', experimentId });
    return ok(null);
  }

  async runMetrics(experimentId: string, runId: string, fromOffset: number) {
    await this.#delay();
    const r = this.#experiments.get(experimentId)?.runs.find((x) => x.id === runId);
    if (!r) return fail<{ records: MetricRecord[]; nextOffset: number }>('no such run');
    const records = this.#revealed(r);
    return ok({ records: records.slice(fromOffset), nextOffset: records.length });
  }

  async runDiagnostics(experimentId: string, runId: string) {
    await this.#delay();
    const r = this.#experiments.get(experimentId)?.runs.find((x) => x.id === runId);
    if (!r) return fail<ReturnType<typeof diagnostics>>('no such run');
    const full = diagnostics(r.behaviour, r.trace, r.seed, r.id);
    if (r.state === 'done') return ok(full);
    const n = full.steps.filter((s) => s < r.shown).length;
    const cut = <T>(m: T[][]) => m.map((row) => row.slice(0, n));
    const ne = this.#epochs(r).length;
    return ok({
      ...full,
      steps: full.steps.slice(0, n),
      gradNorm: cut(full.gradNorm),
      weightNorm: cut(full.weightNorm),
      updateRatio: cut(full.updateRatio),
      zeroFraction: cut(full.zeroFraction),
      saturation: cut(full.saturation),
      histograms: cut(full.histograms),
      weightHistograms: cut(full.weightHistograms),
      gradHistograms: cut(full.gradHistograms),
      deadEpochs: full.deadEpochs.slice(0, ne),
      deadFraction: full.deadFraction.map((row) => row.slice(0, ne)),
      epochs: this.#epochs(r),
    });
  }

  async searchView(_experimentId: string) {
    await this.#delay();
    return ok<SearchView | null>(null);
  }

  async compare(experimentId: string, baseline: string | null) {
    await this.#delay();
    const e = this.#experiments.get(experimentId);
    if (!e) return fail<Comparison>('no such experiment');
    const base = baseline && e.variants.some((v) => v.id === baseline) ? baseline : e.variants[0].id;
    const curves: Comparison['curves'] = {};
    const perVariant = new Map<string, Map<number, Record<string, number>>>();
    for (const v of e.variants) {
      const runs = e.runs.filter((r) => r.variant.id === v.id);
      const c: Record<string, ReturnType<typeof bandOf>> = {};
      for (const key of ['trainLoss', 'valLoss', 'trainAccuracy', 'valAccuracy'] as const) {
        c[key] = bandOf(runs.map((r) => ({ x: this.#epochs(r).map((m) => m.epoch), y: this.#epochs(r).map((m) => m[key] ?? NaN) })));
      }
      curves[v.id] = c;
      const bySeed = new Map<number, Record<string, number>>();
      for (const r of runs) {
        const s = this.#summary(e, r);
        if (!s || !s.final) continue;
        bySeed.set(r.seed, {
          'final.valLoss': s.final.valLoss ?? NaN,
          'final.trainLoss': s.final.trainLoss,
          'best.valLoss': s.best?.valLoss ?? NaN,
          'best.valAccuracy': s.best?.valAccuracy ?? NaN,
          'test.accuracy': s.test?.accuracy ?? NaN,
          'test.loss': s.test?.loss ?? NaN,
          epochsRun: s.epochsRun,
          seconds: s.timings.seconds,
        });
      }
      perVariant.set(v.id, bySeed);
    }
    const metrics = [
      'final.valLoss',
      'final.trainLoss',
      'best.valLoss',
      'best.valAccuracy',
      'test.accuracy',
      'test.loss',
      'epochsRun',
      'seconds',
    ];
    const iv = (values: number[], metric: string): Interval => {
      const m = meanInterval(
        values.filter((v) => Number.isFinite(v)),
        metricRange(metric),
      );
      return { mean: m.mean ?? NaN, sd: m.sd, lower: m.lower, upper: m.upper, n: m.n, method: m.method };
    };
    const baseSeeds = perVariant.get(base)!;
    const variants: VariantResult[] = e.variants.map((v) => {
      const bySeed = perVariant.get(v.id)!;
      const runs = e.runs.filter((r) => r.variant.id === v.id).map((r) => this.#runView(e, r));
      const statuses: Record<string, number> = {};
      for (const r of runs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      const vs: VariantResult['vsBaseline'] =
        v.id === base
          ? null
          : Object.fromEntries(
              metrics.map((m) => {
                const diffs = [...bySeed].filter(([seed]) => baseSeeds.has(seed)).map(([seed, vals]) => vals[m] - baseSeeds.get(seed)![m]);
                if (diffs.length === 0) return [m, null];
                const d = iv(diffs, 'difference');
                const t = d.sd ? Math.abs(d.mean) / (d.sd / Math.sqrt(d.n)) : null;
                const p = t === null ? null : Math.min(1, 2 * Math.exp(-0.6 * t * t));
                return [m, { ...d, p, pHolm: p, dz: d.sd ? d.mean / d.sd : null, seedsFor80: null }];
              }),
            );
      return {
        variantId: v.id,
        label: v.label,
        metrics: Object.fromEntries(
          metrics.map((m) => [
            m,
            iv(
              [...bySeed.values()].map((x) => x[m]),
              m,
            ),
          ]),
        ),
        vsBaseline: vs,
        statuses,
      };
    });
    return ok<Comparison>({ baseline: base, metrics, variants, curves });
  }

  /** Each picked variant's own figures from compare(); no paired differences (a fake: its experiments pair nothing). */
  async compareExperiments(picks: Array<{ experimentId: string; variantIds: string[] }>, baseline: string | null) {
    if (picks.length < 2) return fail<CrossComparison>('pick variants from at least two experiments');
    const found = picks.map((p) => this.#experiments.get(p.experimentId));
    if (found.some((e) => !e)) return fail<CrossComparison>('no such experiment');
    const [first, ...rest] = found as NonNullable<(typeof found)[number]>[];
    const other = rest.find((e) => JSON.stringify(e.spec.data) !== JSON.stringify(first.spec.data));
    if (other) return fail<CrossComparison>(`${other.id} was trained on other data than ${first.id}`);
    const variants: VariantResult[] = [];
    const curves: Comparison['curves'] = {};
    for (const [i, p] of picks.entries()) {
      const one = await this.compare(p.experimentId, null);
      if (!one.ok) return fail<CrossComparison>(one.error);
      for (const v of one.value.variants.filter((x) => p.variantIds.includes(x.variantId))) {
        const id = `${p.experimentId}/${v.variantId}`;
        variants.push({ ...v, variantId: id, label: `${found[i]!.spec.name}: ${v.label}`, vsBaseline: {} });
        curves[id] = one.value.curves[v.variantId];
      }
    }
    const base = baseline ?? variants[0]?.variantId ?? '';
    for (const v of variants) if (v.variantId === base) v.vsBaseline = null;
    return ok<CrossComparison>({
      experiments: found.map((e) => ({ id: e!.id, name: e!.spec.name, seeds: [] })),
      comparison: { baseline: base, metrics: ['final.valLoss', 'best.valAccuracy'], variants, curves },
      sharedSeeds: Object.fromEntries(variants.filter((v) => v.variantId !== base).map((v) => [v.variantId, []])),
      runs: Object.fromEntries(variants.map((v) => [v.variantId, fakeSeedRuns(curves[v.variantId])])),
    });
  }

  async decisionBoundary(experimentId: string, runId: string, resolution: number) {
    await this.#delay();
    const e = this.#experiments.get(experimentId);
    const r = e?.runs.find((x) => x.id === runId);
    if (!e || !r) return fail<ReturnType<typeof spiralBoundary>>('no such run');
    if (!e.points) return fail<ReturnType<typeof spiralBoundary>>('decision boundaries need 2-D classification data');
    const k = e.data.classNames.length;
    const pts = { x: e.points.x.slice(0, 600), y: e.points.y.slice(0, 600), label: e.points.label.slice(0, 600) };
    return ok(spiralBoundary(pts, k, r.trace.status === 'diverged' ? 0.05 : r.quality, Math.min(resolution, 90), r.seed));
  }

  async exportOnnx(experimentId: string, runId: string, options: { probabilities: boolean; opset: 17 | 20 }) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const r = this.#experiments.get(experimentId)?.runs.find((x) => x.id === runId);
    if (!r) return fail<{ path: string; report: ValidationReport }>('no such run');
    if (r.trace.status === 'failed') return fail<{ path: string; report: ValidationReport }>('this run failed before it produced weights');
    r.hasOnnx = true;
    const level = (optimization: 'disabled' | 'all') => ({
      optimization,
      maxAbsError: 2.4e-7,
      maxRelError: 3.1e-6,
      argmaxAgreement: 1,
      batches: [
        {
          rows: 256,
          outputShape: [256, 10],
          maxAbsError: 2.4e-7,
          maxRelError: 3.1e-6,
          argmaxAgreement: 1,
          worst: { row: 17, column: 3, engine: 0.81, onnx: 0.8100002 },
          passed: true,
        },
      ],
      passed: true,
      timings: { sessionCreateMs: 12, runMs: 3 },
    });
    const report: ValidationReport = {
      format: 'ablate-onnx-validation',
      formatVersion: 1,
      file: 'model.onnx',
      fileBytes: 1_104_388,
      sha256: 'cd'.repeat(32),
      opset: options.opset,
      irVersion: options.opset === 20 ? 9 : 8,
      producer: { name: 'ablate', version: ENGINE },
      inputs: [{ name: 'input', elemType: 'float32', shape: ['batch', 784] }],
      outputs: [{ name: options.probabilities ? 'probabilities' : 'logits', elemType: 'float32', shape: ['batch', 10] }],
      head: 'softmax',
      reference: 'engine eval-mode forward pass (naive kernels)',
      runtime: { name: 'onnxruntime-node', version: '1.30.0', executionProvider: 'cpu' },
      tolerance: {
        rule: 'max |onnxruntime − engine| ≤ 1e-5 × output scale (max |engine output|, floored at 1)',
        relative: 1e-5,
        outputScale: 9.8,
        maxAbsError: 9.8e-5,
      },
      maxAbsError: 2.4e-7,
      maxRelError: 3.1e-6,
      argmaxAgreement: 1,
      levels: [level('disabled'), level('all')],
      passed: true,
      failure: null,
      timings: { runtimeLoadMs: 180, exportMs: 9, inspectMs: 2, engineMs: 14, totalMs: 240 },
    };
    return ok({ path: `/home/researcher/.config/Ablate/experiments/${experimentId}/runs/${runId}/model.onnx`, report });
  }

  async exportMetrics(experimentId: string, format: 'csv' | 'json') {
    await this.#delay();
    const e = this.#experiments.get(experimentId);
    if (!e) return fail<{ fileName: string; text: string }>('no such experiment');
    const rows = e.runs.flatMap((r) => this.#epochs(r).map((m) => ({ run: r.id, variant: r.variant.id, seed: r.seed, ...m })));
    if (format === 'json') return ok({ fileName: `${e.id}-metrics.json`, text: JSON.stringify(rows, null, 2) });
    const head = Object.keys(rows[0] ?? { run: '' });
    const text = [
      head.join(','),
      ...rows.map((row) => head.map((h) => JSON.stringify((row as Record<string, unknown>)[h] ?? '')).join(',')),
    ].join('\n');
    return ok({ fileName: `${e.id}-metrics.csv`, text });
  }

  async exportReport(experimentId: string) {
    await this.#delay();
    const e = this.#experiments.get(experimentId);
    if (!e) return fail<{ fileName: string; text: string }>('no such experiment');
    return ok({
      fileName: `${e.id}.report.html`,
      text: `<!doctype html><title>${e.spec.name}: Ablate report</title><h1>${e.spec.name}</h1>`,
    });
  }

  async examples() {
    await this.#delay();
    return ok([
      {
        id: 'relu-vs-sigmoid',
        title: 'Why ReLU beat sigmoid',
        description: 'Vanishing gradients in a deep network: watch the early layers of a sigmoid net stop learning.',
        spec: reluVsSigmoid(),
      },
      {
        id: 'overfitting',
        title: 'Taming overfitting',
        description: 'No regularization, L2, dropout, batch norm and early stopping on a wide 2×512 network.',
        spec: tamingOverfitting(),
      },
      {
        id: 'init',
        title: 'Initialization matters',
        description: 'Glorot against a normal init that is too small and one that is too large.',
        spec: initMatters(),
      },
    ]);
  }

  async chooseDataFile(kind: 'csv' | 'idx-images' | 'idx-labels') {
    await this.#delay();
    const name = { csv: 'iris.csv', 'idx-images': 'train-images-idx3-ubyte.gz', 'idx-labels': 'train-labels-idx1-ubyte.gz' }[kind];
    return ok<{ path: string; name: string } | null>({ path: `/home/researcher/data/${name}`, name });
  }

  /** Pushes an application-menu command, as the app's menu would. */
  menu(command: 'new-experiment' | 'open-experiment' | 'export'): void {
    this.#emit({ type: 'menu', command });
  }

  async openExperimentFile(path: string | null) {
    await this.#delay();
    return ok<{ spec: unknown; path: string } | null>({
      spec: initMatters(),
      path: path ?? '/home/researcher/experiments/init-matters.json',
    });
  }

  async saveFile(suggestedName: string, content: string, encoding: 'utf8' | 'base64') {
    await this.#delay();
    this.saved.push({ name: suggestedName, content, encoding });
    return ok<{ path: string } | null>({ path: `/home/researcher/Documents/${suggestedName}` });
  }

  async openStoreFolder() {
    return ok(null);
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export function createFakeApi(opts: FakeOptions = {}): FakeApi {
  return new FakeApi(opts);
}

/** Three seeds' epochs around a variant's mean curves (each seed a little above or below the mean). */
function fakeSeedRuns(bands: Comparison['curves'][string] | undefined): CrossRunCurve[] {
  const at = (metric: string, k: number, f: number) => {
    const b = bands?.[metric];
    return b && k < b.mean.length ? b.mean[k] * f : null;
  };
  const unit = (v: number | null) => (v === null ? null : Math.min(1, v));
  const epochs = bands?.valLoss?.x.length ?? bands?.trainLoss?.x.length ?? 0;
  return [1, 2, 3].map((seed) => {
    const f = 1 + 0.04 * (seed - 2);
    return {
      seed,
      bestEpoch: Math.max(0, epochs - 2),
      stoppedEpoch: null,
      epochs: Array.from({ length: epochs }, (_, k) => ({
        epoch: k,
        trainLoss: at('trainLoss', k, f) ?? 0,
        trainAccuracy: unit(at('trainAccuracy', k, 2 - f)),
        valLoss: at('valLoss', k, f),
        valAccuracy: unit(at('valAccuracy', k, 2 - f)),
        steps: 10,
        seconds: 0.5,
      })),
    };
  });
}
