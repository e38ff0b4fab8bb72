/**
 * The diagnostics probe of one run: layer statistics every N steps (gradient and weight norms,
 * update-to-weight ratio, pre-activation and activation statistics, histograms, saturation,
 * batch-norm running statistics) and dead units over the validation set each epoch. Called by
 * the team's leader only, at points where the buffers it reads are stable: before a step (weight
 * snapshot), inside the step before its closing barrier (activations of that step's batch), after
 * the step (gradients and updated weights), and inside an evaluation batch before its closing
 * barrier. Allocates its snapshots once.
 */
import type { ModelPlan } from '../model/plan.js';
import type { ModelViews } from '../run/model-views.js';
import type { RunMemory } from '../run/run-memory.js';
import { distance, frobenius, histogram, meanOf, saturation, scaledHistogram, valueStats } from './stats.js';
import type { DeadUnits, DiagnosticsOptions, LayerDiagnostics, ProjectionDiagnostics, StepDiagnostics, StepNorms } from './types.js';

/** What the probe reads of a run: its plan, its memory and the model's views into it. */
export interface ProbedRun {
  plan: ModelPlan;
  mem: RunMemory;
  views: ModelViews;
}

export class DiagnosticsProbe {
  private readonly before: Float32Array[];
  /** Per hidden layer, the snapshot of its residual projection P (null without one). */
  private readonly beforeProjection: (Float32Array | null)[];
  private readonly alive: Uint8Array[];
  /** The step whose weights were snapshot, until its diagnostics are taken (-1: none pending). */
  private snapshotStep = -1;
  /** Per hidden layer, the activation statistics captured inside the pending step. */
  private activations: Array<Pick<LayerDiagnostics, 'preActivation' | 'activation' | 'saturation' | 'histogram'>> = [];

  constructor(
    private readonly ctx: ProbedRun,
    readonly options: DiagnosticsOptions,
  ) {
    this.before = ctx.views.linears.map((l) => new Float32Array(l.w.length));
    this.beforeProjection = ctx.views.projections.map((p) => (p ? new Float32Array(p.w.length) : null));
    this.alive = ctx.plan.hidden.map((h) => new Uint8Array(h.width));
  }

  isDiagnosticStep(step: number): boolean {
    const n = this.options.everySteps;
    return n > 0 && (step === 1 || step % n === 0);
  }

  beforeStep(step: number): void {
    if (!this.isDiagnosticStep(step)) return;
    this.ctx.views.linears.forEach((l, i) => this.before[i].set(l.w));
    this.ctx.views.projections.forEach((p, i) => p && this.beforeProjection[i]!.set(p.w));
    this.snapshotStep = step;
  }

  /**
   * Activation statistics of the step's batch. Called by the leader inside the step, before its
   * closing barrier: after that barrier the other threads start the next forward pass and
   * overwrite these buffers (weights, in contrast, stay put until the next update).
   */
  observeActivations(rows: number): void {
    if (this.snapshotStep < 0) return;
    const { plan, mem } = this.ctx;
    const { histogramBins, histogramRange } = this.options;
    this.activations = plan.hidden.map((h, l) => {
      const b = mem.layers[l];
      const act = b.act ?? b.z;
      const n = rows * h.width;
      return {
        preActivation: valueStats(b.z.data, n),
        activation: valueStats(act.data, n),
        saturation: saturation(h.activation, act.data, n),
        histogram: histogram(act.data, n, histogramBins, histogramRange[0], histogramRange[1]),
      };
    });
  }

  /** The diagnostics of the step just taken (null when this is not a diagnostic step). */
  afterStep(step: number, epoch: number, norms: StepNorms): StepDiagnostics | null {
    if (this.snapshotStep !== step) return null;
    this.snapshotStep = -1;
    const { views } = this.ctx;
    const layers: LayerDiagnostics[] = views.linears.map((lin, l) => {
      const a = this.activations[l];
      const bn = views.bns[l] ?? null;
      const beforeNorm = frobenius(this.before[l]);
      const proj = views.projections[l] ?? null;
      return {
        layer: l,
        name: l < this.activations.length ? `hidden.${l}` : 'output',
        gradNorm: frobenius(lin.dW),
        weightNorm: frobenius(lin.w),
        updateRatio: ratio(distance(lin.w, this.before[l]), beforeNorm),
        preActivation: a?.preActivation ?? null,
        activation: a?.activation ?? null,
        saturation: a?.saturation ?? null,
        histogram: a?.histogram ?? null,
        weightHistogram: scaledHistogram(lin.w, this.options.histogramBins),
        gradHistogram: scaledHistogram(lin.dW, this.options.histogramBins),
        projection: proj ? updateNorms(proj.w, proj.dW, this.beforeProjection[l]!) : null,
        batchNorm: bn ? { runningMean: meanOf(bn.runningMean), runningVar: meanOf(bn.runningVar) } : null,
      };
    });
    return { kind: 'diag', step, epoch, gradNorm: Math.sqrt(norms.gradNormSq), clipCoef: norms.clipCoef, layers };
  }

  startEval(): void {
    for (const a of this.alive) a.fill(0);
  }

  /** Marks units with a nonzero activation in the current evaluation batch of `rows` rows. */
  observeEval(rows: number): void {
    if (!this.options.deadUnits) return;
    this.ctx.plan.hidden.forEach((h, l) => {
      const b = this.ctx.mem.layers[l];
      const a = (b.act ?? b.z).data;
      const alive = this.alive[l];
      for (let r = 0; r < rows; r++) {
        const base = r * h.width;
        for (let j = 0; j < h.width; j++) if (a[base + j] !== 0) alive[j] = 1;
      }
    });
  }

  finishEval(epoch: number): DeadUnits | null {
    if (!this.options.deadUnits || this.alive.length === 0) return null;
    return {
      kind: 'dead',
      epoch,
      layers: this.alive.map((a, layer) => ({ layer, deadFraction: a.reduce((s, v) => s + (v ? 0 : 1), 0) / a.length })),
    };
  }
}

function ratio(moved: number, beforeNorm: number): number {
  return beforeNorm > 0 ? moved / beforeNorm : 0;
}

function updateNorms(w: Float32Array, dW: Float32Array, before: Float32Array): ProjectionDiagnostics {
  return { gradNorm: frobenius(dW), weightNorm: frobenius(w), updateRatio: ratio(distance(w, before), frobenius(before)) };
}
