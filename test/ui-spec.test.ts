import { describe, expect, it } from 'vitest';
import type { DataPreview } from '../src/shared/api.js';
import {
  dataSummary,
  defaultSpec,
  expandVariants,
  fitToData,
  layersText,
  networkSummary,
  normalizeSpec,
  paramCount,
  runCount,
  runLine,
  seedList,
  seedsSummary,
  trainingSummary,
} from '../src/renderer/src/lib/spec.js';
import { metricDirection, metricLabel, fmtMetricDiff } from '../src/renderer/src/lib/metrics.js';

describe('experiment spec helpers', () => {
  it('counts parameters like PyTorch (weights, biases, batch-norm scale and shift)', () => {
    const spec = defaultSpec();
    // 784*128+128 + 128*128+128 + 128*10+10
    expect(paramCount(spec.model)).toBe(118_282);
    spec.model.hidden[0].batchNorm = 'pre';
    expect(paramCount(spec.model)).toBe(118_282 + 256);
  });

  it('gives no parameter count for a size that is not a whole number of at least 1 (width -8 gave -5,886)', () => {
    const spec = defaultSpec();
    spec.model.hidden[0].width = -8;
    expect(paramCount(spec.model)).toBeNaN();
    for (const bad of [0, 2.5, Number.NaN]) {
      const s = defaultSpec();
      s.model.inputSize = bad;
      expect(paramCount(s.model)).toBeNaN();
    }
  });

  it('writes the run-count line from factors and seeds', () => {
    const spec = defaultSpec();
    spec.compare = { activation: ['sigmoid', 'relu', 'elu'], regularizer: ['none', 'dropout-0.2'] };
    spec.seeds = { count: 2 };
    expect(runCount(spec)).toBe(12);
    expect(runLine(spec)).toBe('12 runs = 3 activations × 2 regularizers × 2 seeds');
    const estimate = { seconds: 250, low: 200, high: 300, earlyStopping: false, calibrated: [] };
    expect(runLine(spec, estimate)).toBe(
      '12 runs = 3 activations × 2 regularizers × 2 seeds, about 4 min on this machine (3 min 20 s to 5 min)',
    );
    expect(runLine(spec, { ...estimate, earlyStopping: true })).toMatch(/5 min; less if early stopping ends runs\)$/);
    expect(runLine(spec, 'estimating')).toBe('12 runs = 3 activations × 2 regularizers × 2 seeds, estimating the time…');
    // A small experiment on a busy machine: the bottom of its range is above zero but below 0.05 s.
    expect(runLine(spec, { ...estimate, seconds: 0.6, low: 0.04, high: 2.3 })).toBe(
      '12 runs = 3 activations × 2 regularizers × 2 seeds, under a minute on this machine (under 0.1 s to 2.3 s)',
    );
    spec.compare = { 'model.hidden[*].dropout': [0, 0.5] };
    expect(runLine(spec)).toBe('4 runs = 2 values of model.hidden[*].dropout × 2 seeds');
    spec.search = { method: 'sobol', trials: 16, space: { lr: { log: [1e-4, 1] } } };
    expect(runCount(spec)).toBe(64);
    expect(runLine(spec)).toBe('64 runs = 16 sobol trials × 2 values of model.hidden[*].dropout × 2 seeds');
  });

  it('lists seeds from a count or a list', () => {
    expect(seedList({ count: 3, start: 5 })).toEqual([5, 6, 7]);
    expect(seedList([4, 2])).toEqual([4, 2]);
    expect(seedsSummary({ count: 3 })).toBe('3 seeds (0, 1, 2)');
    expect(seedsSummary({ count: 10 })).toBe('10 seeds (0–9)');
  });

  it('summarizes collapsed cards in one line', () => {
    const spec = defaultSpec();
    expect(dataSummary(spec.data, null)).toBe('MNIST 10k, 80/10/10 split, scaled to [0,1]');
    expect(layersText(spec.model)).toBe('784 → 2×128 relu → 10 softmax');
    expect(networkSummary(spec.model)).toBe('784 → 2×128 relu → 10 softmax · 118k parameters');
    spec.train.earlyStopping = { patience: 3 };
    expect(trainingSummary(spec.train)).toBe('Adam, lr 0.001, batch 64, 10 epochs, early stopping (patience 3)');
  });

  it('gives a file of unknown shape the structure the form needs', () => {
    const s = normalizeSpec({ name: 'x', model: { hidden: 'oops' }, train: {} });
    expect(s.name).toBe('x');
    expect(s.model.hidden).toEqual([]);
    expect(s.train.optimizer).toBeTypeOf('object');
    expect(normalizeSpec(null).data.source).toBe('mnist');
  });

  it('fits the model ends to previewed data', () => {
    const preview = { d: 2, task: 'classification', classNames: ['a', 'b', 'c'] } as unknown as DataPreview;
    expect(fitToData(defaultSpec().model, preview)).toEqual({ inputSize: 2, outputSize: 3 });
    const reg = { d: 784, task: 'regression', classNames: [] } as unknown as DataPreview;
    expect(fitToData(defaultSpec().model, reg)).toEqual({ head: 'linear', outputSize: 1 });
  });

  it('names metrics and knows which direction is better', () => {
    expect(metricLabel('final.valLoss')).toBe('Last-epoch val. loss');
    expect(metricLabel('weights.valLoss')).toBe('Val. loss'); // the kept weights': the model's own figure
    expect(metricLabel('best.valAccuracy')).toBe('Best val. accuracy');
    expect(metricLabel('epochsRun')).toBe('Epochs run');
    expect(metricDirection('test.accuracy')).toBe('higher');
    expect(metricDirection('final.valLoss')).toBe('lower');
    expect(metricDirection('epochsRun')).toBeNull();
    expect(fmtMetricDiff('best.valAccuracy', 0.0123)).toBe('+1.23 pp');
  });
});

describe('variant ids for the baseline choice', () => {
  it('follows the documented id and label formats', () => {
    const spec = defaultSpec();
    spec.compare = { activation: ['relu', 'elu'], lr: [0.01, 1e-4], 'train.optimizer.momentum': [0.9] };
    const vs = expandVariants(spec);
    expect(vs).toHaveLength(4);
    expect(vs[0]).toEqual({ id: 'activation=relu,lr=0.01,train.optimizer.momentum=0.9', label: 'relu · lr 0.01 · momentum 0.9' });
    expect(vs[1].id).toBe('activation=relu,lr=0.0001,train.optimizer.momentum=0.9');
    spec.compare = {};
    expect(expandVariants(spec)).toEqual([{ id: 'base', label: 'base' }]);
  });
});
