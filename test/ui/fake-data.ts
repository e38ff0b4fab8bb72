/**
 * Test-only generators of realistic-looking training data for the fake Api: learning curves with
 * seed noise (plateaus for sigmoid, overfitting without regularization, early stops), per-layer
 * diagnostics (vanishing gradients for deep sigmoid nets, dead ReLUs, saturated sigmoids),
 * activation histograms, 2-D datasets and decision regions. Deterministic for a given seed.
 */
import type { DecisionBoundary, EpochMetrics, MetricRecord, RunDiagnostics } from '../../src/shared/api.js';

export function rng(seed: number): () => number {
  let a = (seed * 2654435761) >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** How a variant learns. */
export interface Behaviour {
  /** Epoch-scale rate of the loss decay. */
  speed: number;
  /** Epochs of the initial plateau (vanishing gradients). */
  plateau: number;
  trainFloor: number;
  valFloor: number;
  /** Strength of the validation loss rising after `overfitFrom`. */
  overfit: number;
  overfitFrom: number;
  /** Relative seed-to-seed spread. */
  spread: number;
  initialLoss: number;
  /** Patience when early stopping is on. */
  earlyStop: number | null;
  divergeAtStep: number | null;
  failReason: string | null;
  activation: string;
  layers: number;
  classification: boolean;
}

export interface RunTrace {
  epochs: EpochMetrics[];
  steps: MetricRecord[];
  bestEpoch: number;
  stoppedEpoch: number | null;
  status: 'completed' | 'early_stopped' | 'diverged' | 'failed' | 'cancelled';
  stopReason: string;
  stepsPerEpoch: number;
  totalSteps: number;
}

const acc = (loss: number, initial: number) => Math.min(0.995, Math.max(1 / 10, 1 - 0.92 * Math.pow(Math.max(loss, 0) / initial, 0.85)));

export function runTrace(b: Behaviour, seed: number, epochs: number, stepsPerEpoch: number, lr: number): RunTrace {
  const r = rng(seed * 7919 + Math.round(b.speed * 1000) + b.layers * 31 + b.activation.length);
  const offset = 1 + b.spread * gauss(r);
  const plateau = Math.max(0, b.plateau * (1 + 0.25 * gauss(r)));
  const trainAt = (e: number) => {
    const t = Math.max(0, e - plateau);
    return b.trainFloor + (b.initialLoss - b.trainFloor) * Math.exp(-b.speed * offset * t);
  };
  const valAt = (e: number) => {
    const t = Math.max(0, e - plateau);
    const over = b.overfit * Math.pow(Math.max(0, e - b.overfitFrom), 1.35);
    return b.valFloor * offset + (b.initialLoss - b.valFloor) * Math.exp(-b.speed * offset * t) + over;
  };
  const out: RunTrace = {
    epochs: [],
    steps: [],
    bestEpoch: 0,
    stoppedEpoch: null,
    status: 'completed',
    stopReason: 'completed all epochs',
    stepsPerEpoch,
    totalSteps: 0,
  };
  let best = Infinity;
  let since = 0;
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      if (b.divergeAtStep !== null && step === b.divergeAtStep) {
        out.steps.push({ kind: 'step', step, epoch: e, loss: NaN, gradNorm: Infinity, clipCoef: 1, lr });
        out.status = 'diverged';
        out.stopReason = `loss became NaN at step ${step}`;
        out.totalSteps = step;
        return out;
      }
      if (b.failReason !== null && step === Math.floor(stepsPerEpoch * 1.5)) {
        out.status = 'failed';
        out.stopReason = b.failReason;
        out.totalSteps = step;
        return out;
      }
      if (s % 5 === 0) {
        const loss = trainAt(e + s / stepsPerEpoch) * (1 + 0.08 * gauss(r)) + (b.divergeAtStep !== null ? step * 0.002 : 0);
        out.steps.push({ kind: 'step', step, epoch: e, loss, gradNorm: 1 + Math.abs(gauss(r)), clipCoef: 1, lr });
      }
    }
    const trainLoss = trainAt(e + 1) * (1 + 0.015 * gauss(r));
    const valLoss = valAt(e + 1) * (1 + 0.02 * gauss(r));
    const m: EpochMetrics = {
      epoch: e,
      lr,
      trainLoss,
      trainAccuracy: b.classification ? acc(trainLoss, b.initialLoss) : null,
      valLoss,
      valAccuracy: b.classification ? acc(valLoss, b.initialLoss) : null,
      penalty: 0,
      steps: stepsPerEpoch,
      seconds: 0.8 + 0.1 * r(),
    };
    out.epochs.push(m);
    out.steps.push({ kind: 'epoch', ...m });
    if (valLoss < best - 1e-4) {
      best = valLoss;
      out.bestEpoch = e;
      since = 0;
    } else since++;
    if (b.earlyStop !== null && since >= b.earlyStop) {
      out.stoppedEpoch = e;
      out.status = 'early_stopped';
      out.stopReason = `early stopping at epoch ${e + 1}: val_loss did not improve for ${b.earlyStop} epochs (best at epoch ${out.bestEpoch + 1})`;
      out.totalSteps = step;
      return out;
    }
  }
  out.totalSteps = step;
  return out;
}

function normCdf(x: number): number {
  // Abramowitz-Stegun 7.1.26
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Bin masses of N(mu, sd) over [lo, hi] in `bins` bins, tails in the end bins, scaled to `total`. */
function normalBins(mu: number, sd: number, lo: number, hi: number, bins: number, total: number): number[] {
  const w = (hi - lo) / bins;
  return Array.from({ length: bins }, (_, i) => {
    const a = i === 0 ? -Infinity : lo + i * w;
    const b = i === bins - 1 ? Infinity : lo + (i + 1) * w;
    const pa = a === -Infinity ? 0 : normCdf((a - mu) / sd);
    const pb = b === Infinity ? 1 : normCdf((b - mu) / sd);
    return Math.round((pb - pa) * total);
  });
}

export function diagnostics(b: Behaviour, trace: RunTrace, seed: number, runId: string, everySteps = 50, bins = 40): RunDiagnostics {
  const r = rng(seed * 104729 + b.layers);
  const L = b.layers + 1;
  const layers = [...Array.from({ length: b.layers }, (_, i) => `layer ${i + 1}`), 'output'];
  const steps: number[] = [];
  for (let s = 0; s <= trace.totalSteps; s += everySteps) steps.push(s);
  const T = Math.max(1, trace.totalSteps);
  const per = b.activation === 'sigmoid' ? 0.22 : b.activation === 'tanh' ? 0.55 : b.activation === 'relu' ? 0.93 : 0.97;
  const lin = (f: (l: number, t: number, frac: number) => number) =>
    Array.from({ length: L }, (_, l) => steps.map((s, t) => f(l, t, s / T)));
  const gradNorm = lin((l, _t, frac) => {
    const depth = L - 1 - l;
    const scale = 0.6 * Math.pow(per, depth) * (0.35 + 0.65 * Math.exp(-3 * frac));
    return scale * Math.exp(0.25 * gauss(r));
  });
  const weightNorm = lin((l, _t, frac) => (l === L - 1 ? 3 : 9) * (1 + 0.4 * (1 - Math.exp(-4 * frac))) * (1 + 0.01 * gauss(r)));
  const updateRatio = lin((l, _t, frac) => 2e-3 * Math.pow(per, (L - 1 - l) * 0.6) * Math.exp(-1.5 * frac) * Math.exp(0.2 * gauss(r)));
  const zeroFraction = lin((l, _t, frac) =>
    l === L - 1 ? 0 : b.activation === 'relu' ? 0.48 + 0.12 * frac + 0.03 * l + 0.01 * gauss(r) : 0,
  );
  const saturation = Array.from({ length: L }, (_, l) =>
    steps.map((s) => {
      if (l === L - 1) return null;
      const frac = s / T;
      if (b.activation === 'sigmoid') return Math.min(0.95, 0.05 + 0.5 * frac * (1 - l / L) + 0.02 * Math.abs(gauss(r)));
      if (b.activation === 'tanh') return Math.min(0.9, 0.03 + 0.25 * frac * (1 - l / (2 * L)));
      return null;
    }),
  );
  const histograms = Array.from({ length: L }, (_, l) =>
    steps.map((s) => {
      const frac = s / T;
      const total = 6400;
      if (l === L - 1) return [];
      if (b.activation === 'sigmoid') {
        const sat = 0.4 * frac * (1 - l / L);
        const core = normalBins(0.5, 0.08 + 0.12 * frac, -4, 4, bins, total * (1 - sat));
        core[Math.floor(((0.02 + 4) / 8) * bins)] += Math.round((total * sat) / 2);
        core[Math.floor(((0.98 + 4) / 8) * bins)] += Math.round((total * sat) / 2);
        return core;
      }
      if (b.activation === 'tanh') {
        // Pre-activations spread out over training; tanh squeezes the tails onto the bins at ±1.
        const pre = normalBins(0, 0.3 + 0.6 * frac, -4, 4, bins, total);
        const at = (v: number) => Math.floor(((v + 4) / 8) * bins);
        const out = pre.map((v, i) => (Math.abs(-4 + (i + 0.5) * (8 / bins)) < 0.95 ? v : 0));
        const clipped = pre.reduce((acc, v, i) => acc + (Math.abs(-4 + (i + 0.5) * (8 / bins)) < 0.95 ? 0 : v), 0);
        out[at(-0.97)] += Math.round(clipped / 2);
        out[at(0.97)] += Math.round(clipped / 2);
        return out;
      }
      const zeros = b.activation === 'relu' ? 0.5 + 0.1 * frac : 0;
      const sd = 0.6 + 1.2 * frac + 0.1 * l;
      const pos = normalBins(0, sd, -4, 4, bins, total * (1 - zeros) * 2).map((v, i) =>
        -4 + (i + 0.5) * (8 / bins) < 0 ? (b.activation === 'elu' ? Math.round(v * 0.35) : 0) : v,
      );
      pos[Math.floor((4 / 8) * bins)] += Math.round(total * zeros);
      return pos;
    }),
  );
  // W and dW as normal over entries whose Frobenius norm is the layer's logged norm, on the engine's
  // power-of-two range (the smallest 2^k >= 4 sd, standing in for max |x|).
  const entries = 4096;
  const scaled = (norms: number[][]) =>
    norms.map((row) =>
      row.map((norm) => {
        const sd = norm / Math.sqrt(entries);
        const r = 2 ** Math.ceil(Math.log2(4 * sd));
        return { lo: -r, hi: r, counts: normalBins(0, sd, -r, r, bins, entries) };
      }),
    );
  const weightHistograms = scaled(weightNorm);
  const gradHistograms = scaled(gradNorm);
  const deadEpochs = trace.epochs.map((e) => e.epoch);
  const deadFraction = Array.from({ length: L }, (_, l) =>
    deadEpochs.map((e) => (l < L - 1 && b.activation === 'relu' ? Math.min(0.4, 0.02 + 0.012 * e * (1 + l * 0.4)) : 0)),
  );
  return {
    runId,
    layers,
    steps,
    gradNorm,
    weightNorm,
    updateRatio,
    zeroFraction,
    saturation,
    histograms,
    histogramRange: [-4, 4],
    weightHistograms,
    gradHistograms,
    projections: [],
    deadEpochs,
    deadFraction,
    epochs: trace.epochs,
    bestEpoch: trace.bestEpoch,
    stoppedEpoch: trace.stoppedEpoch,
  };
}

export interface Points {
  x: number[];
  y: number[];
  label: number[];
}

export function spiral(n: number, classes: number, noise: number, seed: number): Points {
  const r = rng(seed + 11);
  const out: Points = { x: [], y: [], label: [] };
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    const t = r();
    const a = t * 3 * Math.PI + (2 * Math.PI * k) / classes;
    out.x.push(t * Math.cos(a) + noise * gauss(r));
    out.y.push(t * Math.sin(a) + noise * gauss(r));
    out.label.push(k);
  }
  return out;
}

export function circles(n: number, noise: number, seed: number): Points {
  const r = rng(seed + 17);
  const out: Points = { x: [], y: [], label: [] };
  for (let i = 0; i < n; i++) {
    const k = i % 2;
    const a = 2 * Math.PI * r();
    const rad = k === 0 ? 0.5 : 1;
    out.x.push(rad * Math.cos(a) + noise * gauss(r));
    out.y.push(rad * Math.sin(a) + noise * gauss(r));
    out.label.push(k);
  }
  return out;
}

export function xor(n: number, noise: number, seed: number): Points {
  const r = rng(seed + 23);
  const out: Points = { x: [], y: [], label: [] };
  for (let i = 0; i < n; i++) {
    const x = 2 * r() - 1;
    const y = 2 * r() - 1;
    out.x.push(x + noise * gauss(r));
    out.y.push(y + noise * gauss(r));
    out.label.push(x * y > 0 ? 0 : 1);
  }
  return out;
}

/** Decision regions of a spiral classifier whose sharpness and fidelity depend on its quality in [0, 1]. */
export function spiralBoundary(points: Points, classes: number, quality: number, resolution: number, seed: number): DecisionBoundary {
  const r = rng(seed + 5);
  const wobble = (1 - quality) * 1.4;
  const phase = gauss(r) * 0.2;
  const xs = Array.from({ length: resolution }, (_, i) => -1.3 + (2.6 * i) / (resolution - 1));
  const ys = xs.slice();
  const classesGrid: number[][] = [];
  const conf: number[][] = [];
  for (const y of ys) {
    const rowC: number[] = [];
    const rowP: number[] = [];
    for (const x of xs) {
      const rad = Math.min(1, Math.hypot(x, y));
      const theta = Math.atan2(y, x) + wobble * Math.sin(3 * x + phase) * (1 - rad * 0.3);
      const scores = Array.from({ length: classes }, (_, k) => {
        let d = Infinity;
        for (let turn = -2; turn <= 2; turn++) {
          const t = (theta - (2 * Math.PI * k) / classes + 2 * Math.PI * turn) / (3 * Math.PI);
          if (t < -0.2 || t > 1.3) continue;
          d = Math.min(d, Math.abs(t - rad));
        }
        return -d * (4 + 30 * quality);
      });
      const m = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - m));
      const z = e.reduce((a, b) => a + b, 0);
      const k = scores.indexOf(m);
      rowC.push(k);
      rowP.push(e[k] / z);
    }
    classesGrid.push(rowC);
    conf.push(rowP);
  }
  return { xs, ys, classes: classesGrid, confidence: conf, points };
}
