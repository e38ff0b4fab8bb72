/**
 * What the UI shows about data and runs, computed from prepared data and stored metrics:
 * the data preview (facts, a table of rows, a scatter for 2-D sets), the per-run diagnostics
 * arrays for the gradient-flow and units views, and the decision boundary of a 2-D classifier.
 * Pure functions over engine and store types; main thread.
 */
import { type PredictableModel, Predictor, type PreparedData } from '../../engine/index.js';
import type { DataPreview, DecisionBoundary, RunDiagnostics } from '../../shared/api.js';
import type { MetricRecord, RunSummary } from '../experiments/types.js';
import { planeGrid } from '../units/plane.js';

/** Thumbnails in a data preview: 24 images (JSON of about 60 kB for MNIST). */
const THUMBNAILS = 24;

/** `shortenPaths` rewrites the absolute paths in the provenance text (FileRoots.displayText). */
export function dataPreview(p: PreparedData, shortenPaths: (text: string) => string = (t) => t): DataPreview {
  const ds = p.dataset;
  const t = ds.targets;
  const targetText = (i: number): string =>
    t.kind === 'class'
      ? (t.classNames[t.labels[i]] ?? String(t.labels[i]))
      : Array.from(t.values.subarray(i * t.width, (i + 1) * t.width), (v) => v.toPrecision(4)).join(', ');
  const rows = Array.from({ length: Math.min(20, ds.n) }, (_, i) => ({
    features: Array.from(ds.features.subarray(i * ds.d, Math.min((i + 1) * ds.d, i * ds.d + 50))),
    target: targetText(i),
  }));
  let scatter: DataPreview['scatter'] = null;
  if (ds.d === 2) {
    const n = Math.min(2000, ds.n);
    const step = ds.n / n;
    const x: number[] = [];
    const y: number[] = [];
    const label: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = Math.floor(k * step);
      x.push(p.features[2 * i]);
      y.push(p.features[2 * i + 1]);
      label.push(t.kind === 'class' ? t.labels[i] : t.values[i * t.width]);
    }
    scatter = { x, y, label };
  }
  return {
    name: ds.name,
    n: ds.n,
    d: ds.d,
    task: t.kind === 'class' ? 'classification' : 'regression',
    classNames: t.kind === 'class' ? t.classNames : [],
    featureNames: ds.featureNames.slice(0, 50),
    rows,
    scatter,
    images: imageSamples(p),
    splits: { train: p.splits.train.length, validation: p.splits.validation.length, test: p.splits.test.length },
    provenance: shortenPaths(ds.provenance),
  };
}

/**
 * Raw images for thumbnails: the first image of each class in row order, then the next rows, up
 * to THUMBNAILS; pixels back to bytes (IDX features are byte / 255 in valueRange [0, 1]).
 */
function imageSamples(p: PreparedData): DataPreview['images'] {
  const ds = p.dataset;
  if (!ds.imageShape || ds.imageShape[0] * ds.imageShape[1] !== ds.d) return null;
  const [height, width] = ds.imageShape;
  const [lo, hi] = ds.valueRange ?? [0, 1];
  const t = ds.targets;
  const picked: number[] = [];
  if (t.kind === 'class') {
    const seen = new Set<number>();
    for (let i = 0; i < ds.n && picked.length < THUMBNAILS && seen.size < t.classNames.length; i++) {
      if (!seen.has(t.labels[i])) {
        seen.add(t.labels[i]);
        picked.push(i);
      }
    }
  }
  for (let i = 0; i < ds.n && picked.length < THUMBNAILS; i++) if (!picked.includes(i)) picked.push(i);
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(((v - lo) / (hi - lo || 1)) * 255)));
  const samples = picked.map((i) => ({
    pixels: Array.from(ds.features.subarray(i * ds.d, (i + 1) * ds.d), byte),
    label: t.kind === 'class' ? (t.classNames[t.labels[i]] ?? String(t.labels[i])) : '',
  }));
  return { height, width, samples };
}

export function runDiagnostics(runId: string, records: MetricRecord[], summary: RunSummary | null): RunDiagnostics {
  const diags = records.filter((r): r is Extract<MetricRecord, { kind: 'diag' }> => r.kind === 'diag');
  const dead = records.filter((r): r is Extract<MetricRecord, { kind: 'dead' }> => r.kind === 'dead');
  const epochs = records.filter((r): r is Extract<MetricRecord, { kind: 'epoch' }> => r.kind === 'epoch').map(({ kind: _kind, ...e }) => e);
  const layers = diags[0]?.layers.map((l) => l.name) ?? [];
  const perLayer = <T>(f: (l: (typeof diags)[number]['layers'][number]) => T): T[][] =>
    layers.map((_, i) => diags.map((d) => f(d.layers[i])));
  const hist = diags[0]?.layers.find((l) => l.histogram)?.histogram;
  return {
    runId,
    layers,
    steps: diags.map((d) => d.step),
    gradNorm: perLayer((l) => l.gradNorm),
    weightNorm: perLayer((l) => l.weightNorm),
    updateRatio: perLayer((l) => l.updateRatio),
    zeroFraction: perLayer((l) => l.activation?.zeroFraction ?? 0),
    saturation: perLayer((l) => l.saturation),
    histograms: perLayer((l) => l.histogram?.counts ?? []),
    histogramRange: hist ? [hist.lo, hist.hi] : [0, 0],
    weightHistograms: perLayer((l) => l.weightHistogram ?? null),
    gradHistograms: perLayer((l) => l.gradHistogram ?? null),
    projections: layers.flatMap((_, i) =>
      diags[0]?.layers[i].projection
        ? [
            {
              layer: i,
              gradNorm: diags.map((d) => d.layers[i].projection?.gradNorm ?? NaN),
              weightNorm: diags.map((d) => d.layers[i].projection?.weightNorm ?? NaN),
              updateRatio: diags.map((d) => d.layers[i].projection?.updateRatio ?? NaN),
            },
          ]
        : [],
    ),
    deadEpochs: dead.map((d) => d.epoch),
    deadFraction: (dead[0]?.layers ?? []).map((_, i) => dead.map((d) => d.layers[i].deadFraction)),
    epochs,
    bestEpoch: summary?.bestEpoch ?? null,
    stoppedEpoch: summary?.stoppedEpoch ?? null,
  };
}

/** Class map over the data's bounding box (10% margin) at `resolution` x `resolution` points. */
export function decisionBoundary(model: PredictableModel, p: PreparedData, resolution: number): DecisionBoundary {
  const ds = p.dataset;
  if (ds.d !== 2) throw new Error(`a decision boundary needs 2-D data; ${ds.name} has ${ds.d} features`);
  if (ds.targets.kind !== 'class') throw new Error(`a decision boundary needs class labels; ${ds.name} is a regression set`);
  const res = Math.max(10, Math.min(200, Math.round(resolution)));
  const { xs, ys, points } = planeGrid(p, res);
  const probs = new Predictor(model).predict(points, res * res, true);
  const o = model.plan.outputSize;
  const classes: number[][] = [];
  const confidence: number[][] = [];
  for (let j = 0; j < res; j++) {
    const rowC: number[] = [];
    const rowP: number[] = [];
    for (let i = 0; i < res; i++) {
      const k = j * res + i;
      if (o === 1) {
        const q = probs[k];
        rowC.push(q > 0.5 ? 1 : 0);
        rowP.push(q > 0.5 ? q : 1 - q);
      } else {
        let best = 0;
        for (let c = 1; c < o; c++) if (probs[k * o + c] > probs[k * o + best]) best = c;
        rowC.push(best);
        rowP.push(probs[k * o + best]);
      }
    }
    classes.push(rowC);
    confidence.push(rowP);
  }
  const n = Math.min(2000, ds.n);
  const idx = Array.from({ length: n }, (_, k) => Math.floor((k * ds.n) / n));
  return {
    xs,
    ys,
    classes,
    confidence,
    points: {
      x: idx.map((i) => p.features[2 * i]),
      y: idx.map((i) => p.features[2 * i + 1]),
      label: idx.map((i) => (ds.targets as { labels: Int32Array }).labels[i]),
    },
  };
}
