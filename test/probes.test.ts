/**
 * Diagnostics probes: summary statistics against hand-computed values, and relations that must
 * hold in a real training (plain SGD: ||W_after - W_before|| = lr * ||dW||; histogram counts cover
 * every activation; all-zero init gives 100% dead ReLUs; a huge sigmoid init saturates).
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { histogram, saturation, scaledHistogram, valueStats } from '../src/engine/probes/stats.js';
import type { DeadUnits, StepDiagnostics } from '../src/engine/probes/types.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { classData, spiral } from './helpers/toy-data.js';

describe('summary statistics', () => {
  it('valueStats: mean, population std and zero fraction', () => {
    const s = valueStats(new Float32Array([0, 2, 4, 0, 9]), 4);
    expect(s.mean).toBe(1.5);
    expect(s.std).toBeCloseTo(Math.sqrt((2.25 + 0.25 + 6.25 + 2.25) / 4), 12);
    expect(s.zeroFraction).toBe(0.5);
  });
  it('scaled histogram: power-of-two range around max |x|, even bins, non-finite skipped', () => {
    // max |x| = 0.3 -> R = 0.5; 3 bins round up to 4 of width 0.25: [-0.5,-0.25) [-0.25,0) [0,0.25) [0.25,0.5].
    expect(scaledHistogram(new Float32Array([-0.3, -0.1, 0, 0.2, 0.3, NaN, Infinity]), 3)).toEqual({
      lo: -0.5,
      hi: 0.5,
      counts: [1, 1, 2, 1],
    });
    // Exactly a power of two stays: max 2 -> R = 2, the value 2 in the last bin.
    expect(scaledHistogram(new Float32Array([2, -1]), 2)).toEqual({ lo: -2, hi: 2, counts: [1, 1] });
    expect(scaledHistogram(new Float32Array([0, 0, 0]), 4)).toEqual({ lo: 0, hi: 0, counts: [0, 0, 3, 0] });
  });

  it('histogram: fixed bins, outliers in the end bins, NaN skipped', () => {
    // Bins [-1,-0.5) [-0.5,0) [0,0.5) [0.5,1]: -10 and -1 | -0.5 | 0 | 0.5, 0.99, 1 (right edge) and 7.
    expect(histogram(new Float32Array([-10, -1, -0.5, 0, 0.5, 0.99, 1, 7, NaN]), 9, 4, -1, 1).counts).toEqual([2, 1, 1, 4]);
  });
  it('saturation: sigmoid tails and tanh tails; null for other activations', () => {
    expect(saturation('sigmoid', new Float32Array([0.001, 0.5, 0.995, 0.3]), 4)).toBe(0.5);
    expect(saturation('tanh', new Float32Array([-0.999, 0.2, 0.98, 1]), 4)).toBe(0.5);
    expect(saturation('relu', new Float32Array([1]), 1)).toBeNull();
  });
});

function run(hidden: unknown[], init: Record<string, unknown>, optimizer: Record<string, unknown> = { name: 'sgd', lr: 0.05 }) {
  const { x, y } = spiral(60, 3, 3);
  const cfg = validateRunConfig({
    seed: 2,
    model: { inputSize: 2, hidden, outputSize: 3, head: 'softmax', init: { bias: 'zeros', ...init } },
    train: { epochs: 2, batchSize: 24, optimizer },
  });
  const diags: StepDiagnostics[] = [];
  const dead: DeadUnits[] = [];
  const result = trainInProcess(cfg, classData(x, y, 2, 1, 0.2, 0), {
    diagnostics: { everySteps: 3, histogramBins: 10, histogramRange: [-2, 2], deadUnits: true },
    hooks: { onDiagnostics: (r) => (r.kind === 'diag' ? diags.push(r) : dead.push(r)) },
  });
  return { diags, dead, result };
}

describe('probes in a training run', () => {
  it('logs at step 1 and every N steps, with one entry per linear layer', () => {
    const { diags, result } = run(
      [
        { width: 16, activation: 'relu' },
        { width: 8, activation: 'tanh' },
      ],
      { weights: 'he_uniform' },
    );
    const expected = [1, ...Array.from({ length: Math.floor(result.outcome.steps / 3) }, (_, i) => 3 * (i + 1))];
    expect(diags.map((d) => d.step)).toEqual(expected);
    expect(diags[0].layers.map((l) => l.name)).toEqual(['hidden.0', 'hidden.1', 'output']);
    expect(diags[0].layers[2].activation).toBeNull();
  });

  it('plain SGD: the update distance equals lr x gradient norm, and histograms count every activation', () => {
    const { diags } = run([{ width: 16, activation: 'relu' }], { weights: 'he_uniform' });
    for (const d of diags) {
      for (const l of d.layers) {
        const beforeNorm = l.weightNorm; // close to the norm before the step for a small update
        const moved = l.updateRatio * beforeNorm;
        expect(Math.abs(moved - 0.05 * l.gradNorm)).toBeLessThanOrEqual(0.02 * 0.05 * l.gradNorm + 1e-6);
      }
      const h = d.layers[0].histogram!;
      expect(h.counts.reduce((a, b) => a + b)).toBe(24 * 16);
    }
  });

  it('weight and gradient histograms count every entry of W and dW', () => {
    const { diags } = run([{ width: 16, activation: 'relu' }], { weights: 'he_uniform' });
    const [hidden, output] = diags[diags.length - 1].layers;
    for (const [h, n] of [
      [hidden.weightHistogram, 2 * 16],
      [hidden.gradHistogram, 2 * 16],
      [output.weightHistogram, 16 * 3],
    ] as const) {
      expect(h.counts.reduce((a, b) => a + b)).toBe(n);
      expect(h.counts).toHaveLength(10);
      expect(Number.isInteger(Math.log2(h.hi))).toBe(true);
      expect(h.lo).toBe(-h.hi);
    }
    // He uniform bounds |W| by sqrt(6 / 2) for 2 inputs: the range is at most the next power of two.
    expect(diags[0].layers[0].weightHistogram.hi).toBeLessThanOrEqual(2);
  });

  it('a residual projection P gets its own norms; under plain SGD its update is lr x its gradient', () => {
    const { diags } = run(
      [
        { width: 16, activation: 'relu' },
        { width: 8, activation: 'relu', residual: true },
      ],
      { weights: 'he_uniform' },
    );
    for (const d of diags) {
      expect(d.layers[0].projection).toBeNull();
      expect(d.layers[2].projection).toBeNull();
      const p = d.layers[1].projection!;
      expect(p.gradNorm).toBeGreaterThan(0);
      const moved = p.updateRatio * p.weightNorm;
      expect(Math.abs(moved - 0.05 * p.gradNorm)).toBeLessThanOrEqual(0.02 * 0.05 * p.gradNorm + 1e-6);
    }
  });

  it('an all-zero init leaves every ReLU dead on the validation set', () => {
    const { dead } = run([{ width: 12, activation: 'relu' }], { weights: 'zeros' });
    expect(dead.map((d) => d.epoch)).toEqual([0, 1]);
    expect(dead[0].layers).toEqual([{ layer: 0, deadFraction: 1 }]);
    const alive = run([{ width: 12, activation: 'relu' }], { weights: 'he_uniform' }).dead;
    expect(alive[0].layers[0].deadFraction).toBeLessThan(0.5);
  });

  it('a huge init saturates sigmoid units and shrinks the first layer gradient', () => {
    const big = run(
      [
        { width: 16, activation: 'sigmoid' },
        { width: 16, activation: 'sigmoid' },
      ],
      { weights: 'normal', sigma: 8 },
    ).diags[0];
    const sane = run(
      [
        { width: 16, activation: 'sigmoid' },
        { width: 16, activation: 'sigmoid' },
      ],
      { weights: 'glorot_uniform' },
    ).diags[0];
    expect(big.layers[1].saturation!).toBeGreaterThan(0.5);
    expect(sane.layers[1].saturation!).toBeLessThan(0.1);
  });
});
