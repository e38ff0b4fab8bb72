/**
 * The diagnostics probe of one run: layer statistics every N steps (gradient and weight norms,
 * update-to-weight ratio, pre-activation and activation statistics, histograms, saturation,
 * batch-norm running statistics) and dead units over the validation set each epoch. Called by
 * the team's leader only, at points where the buffers it reads are stable: before a step (weight
 * snapshot), after a step (buffers of that step's batch), and inside an evaluation batch before
 * its closing barrier. Allocates its snapshots once.
 */
import type { RunContext } from '../train/setup.js';
import { distance, frobenius, histogram, meanOf, saturation, valueStats } from './stats.js';
import type { DeadUnits, DiagnosticsOptions, LayerDiagnostics, StepDiagnostics } from './types.js';

export class DiagnosticsProbe {
  private readonly before: Float32Array[];
  private readonly alive: Uint8Array[];
  private snapshotStep = -1;

  constructor(
    private readonly ctx: RunContext,
    readonly options: DiagnosticsOptions,
  ) {
    this.before = ctx.views.linears.map((l) => new Float32Array(l.w.length));
    this.alive = ctx.plan.hidden.map((h) => new Uint8Array(h.width));
  }

  isDiagnosticStep(step: number): boolean {
    const n = this.options.everySteps;
    return n > 0 && (step === 1 || step % n === 0);
  }

  beforeStep(step: number): void {
    if (!this.isDiagnosticStep(step)) return;
    this.ctx.views.linears.forEach((l, i) => this.before[i].set(l.w));
    this.snapshotStep = step;
  }

  /** Statistics of the step just taken on `rows` batch rows (null when this is not a diagnostic step). */
  afterStep(step: number, epoch: number, rows: number, gradNorm: number, clipCoef: number): StepDiagnostics | null {
    if (this.snapshotStep !== step) return null;
    const { plan, views, mem } = this.ctx;
    const { histogramBins, histogramRange } = this.options;
    const layers: LayerDiagnostics[] = views.linears.map((lin, l) => {
      const hidden = l < plan.hidden.length ? plan.hidden[l] : null;
      const buffers = hidden ? mem.layers[l] : null;
      const weightNorm = frobenius(lin.w);
      const beforeNorm = frobenius(this.before[l]);
      const actBuffer = buffers ? (buffers.act ?? buffers.z) : null;
      const n = hidden ? rows * hidden.width : 0;
      const bn = views.bns[l] ?? null;
      return {
        layer: l,
        name: hidden ? `hidden.${l}` : 'output',
        gradNorm: frobenius(lin.dW),
        weightNorm,
        updateRatio: beforeNorm > 0 ? distance(lin.w, this.before[l]) / beforeNorm : 0,
        preActivation: buffers ? valueStats(buffers.z.data, n) : null,
        activation: actBuffer ? valueStats(actBuffer.data, n) : null,
        saturation: hidden && actBuffer ? saturation(hidden.activation, actBuffer.data, n) : null,
        histogram: actBuffer ? histogram(actBuffer.data, n, histogramBins, histogramRange[0], histogramRange[1]) : null,
        batchNorm: bn ? { runningMean: meanOf(bn.runningMean), runningVar: meanOf(bn.runningVar) } : null,
      };
    });
    return { kind: 'diag', step, epoch, gradNorm, clipCoef, layers };
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
