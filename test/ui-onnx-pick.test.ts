/**
 * The ONNX export's default run (src/renderer/src/lib/onnx-pick.ts): the best seed of the best
 * variant on the kept weights' metrics, not the baseline's first seed; never a diverged run.
 * Expected picks worked out by hand from the listed metrics.
 */
import { describe, expect, it } from 'vitest';
import type { RunSummary, RunView, Variant } from '../src/shared/api.js';
import { defaultOnnxRun } from '../src/renderer/src/lib/onnx-pick.js';
import { groupRuns } from '../src/renderer/src/lib/runs.js';

const variants: Variant[] = [
  { id: 'sigmoid', label: 'sigmoid', factors: {} },
  { id: 'relu', label: 'relu', factors: {} },
] as Variant[];

function run(
  variantId: string,
  seed: number,
  valAccuracy: number | null,
  valLoss: number | null,
  status: RunView['status'] = 'completed',
): RunView {
  const final = { epoch: 4, lr: 0.01, trainLoss: 0.5, trainAccuracy: 0.8, valLoss, valAccuracy, penalty: 0, steps: 10, seconds: 1 };
  return {
    runId: `${variantId}-s${seed}`,
    variantId,
    seed,
    status,
    threads: null,
    epochs: 5,
    damage: null,
    progress: null,
    hasOnnx: false,
    summary: {
      status,
      final,
      best: final,
      bestEpoch: 4,
      restoredBestWeights: false,
      weightsEpoch: status === 'completed' ? 4 : null,
    } as unknown as RunSummary,
  };
}

describe('the default ONNX run', () => {
  it('is the best seed of the variant with the best mean validation accuracy', () => {
    // sigmoid mean 0.70 (its seed 2 at 0.95 is the single best run); relu mean 0.90, best seed 3.
    const runs = [
      run('sigmoid', 1, 0.45, 1),
      run('sigmoid', 2, 0.95, 1),
      run('relu', 1, 0.88, 1),
      run('relu', 2, 0.89, 1),
      run('relu', 3, 0.93, 1),
    ];
    const pick = defaultOnnxRun(groupRuns(variants, runs));
    expect(pick?.runId).toBe('relu-s3');
    expect(pick?.why).toBe('Best seed of the best variant (relu: mean validation accuracy 0.9 over 3 seeds): validation accuracy 0.93');
  });

  it('ranks by validation loss (lower is better) when there is no accuracy, and skips diverged runs', () => {
    const runs = [
      run('sigmoid', 1, null, 0.2),
      run('sigmoid', 2, null, 0.3),
      run('relu', 1, null, 0.01, 'diverged'),
      run('relu', 2, null, 0.4),
    ];
    const pick = defaultOnnxRun(groupRuns(variants, runs));
    expect(pick?.runId).toBe('sigmoid-s1');
    expect(pick?.why).toMatch(/mean validation loss 0\.25 over 2 seeds\): validation loss 0\.2$/);
  });

  it('falls back to the first run, saying so, when nothing can be ranked', () => {
    const runs = [run('sigmoid', 1, null, null, 'diverged')];
    expect(defaultOnnxRun(groupRuns(variants, runs))).toEqual({
      runId: 'sigmoid-s1',
      why: 'The first finished run: no run has metrics to rank by',
    });
    expect(defaultOnnxRun(groupRuns(variants, []))).toBeNull();
  });
});
