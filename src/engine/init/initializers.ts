/**
 * Parameter initialization (torch.nn.init semantics) from the seeded init stream. Each tensor
 * draws from its own stream keyed by (seed, layer, tensor), and every scheme transforms the same
 * uniform/normal draws, so two variants that differ only in init scale get paired randomness.
 *
 * Gains: glorot uses calculate_gain(layer activation) (1 for the linear output layer); he uses the
 * rectifier gain (leaky_relu's slope when the layer is leaky_relu, relu's sqrt(2) otherwise, as
 * torch's kaiming default and Keras do); lecun uses gain 1; orthogonal (orthogonal.ts) uses
 * calculate_gain(layer activation) like glorot (torch's orthogonal_ defaults to gain 1, and Saxe et
 * al. scale by the nonlinearity's gain); constant sets every weight to `value`. Biases: zeros or torch's Linear default
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)). Batch norm: gamma 1, beta 0, running mean 0, running var 1.
 */
import type { InitConfig, InitializerName } from '../config/types.js';
import { tensorView, type ModelPlan } from '../model/plan.js';
import { initGain } from './gain.js';
import { fillOrthogonal } from './orthogonal.js';
import { Purpose } from '../rng/hash.js';
import { stream, type RandomStream } from '../rng/stream.js';

export interface InitSpec {
  name: InitializerName;
  fanIn: number;
  fanOut: number;
  gain: number;
  sigma?: number;
  /** Every weight's value for the constant initializer. */
  value?: number;
}

/** The distribution an initializer samples from: uniform(-bound, bound), normal(0, std) or 0. */
export function initDistribution(
  spec: InitSpec,
):
  | { kind: 'uniform'; bound: number }
  | { kind: 'normal'; std: number }
  | { kind: 'zeros' }
  | { kind: 'constant'; value: number }
  | { kind: 'orthogonal'; gain: number } {
  const { fanIn, fanOut, gain } = spec;
  switch (spec.name) {
    case 'glorot_uniform':
      return { kind: 'uniform', bound: gain * Math.sqrt(6 / (fanIn + fanOut)) };
    case 'glorot_normal':
      return { kind: 'normal', std: gain * Math.sqrt(2 / (fanIn + fanOut)) };
    case 'he_uniform':
      return { kind: 'uniform', bound: gain * Math.sqrt(3 / fanIn) };
    case 'he_normal':
      return { kind: 'normal', std: gain / Math.sqrt(fanIn) };
    case 'lecun_uniform':
      return { kind: 'uniform', bound: Math.sqrt(3 / fanIn) };
    case 'lecun_normal':
      return { kind: 'normal', std: 1 / Math.sqrt(fanIn) };
    case 'torch_default':
      return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
    case 'zeros':
      return { kind: 'zeros' };
    case 'normal':
      return { kind: 'normal', std: spec.sigma ?? 0.01 };
    case 'constant':
      return { kind: 'constant', value: spec.value ?? 0 };
    case 'orthogonal':
      return { kind: 'orthogonal', gain };
  }
}

/** Fills `out`, a weight of shape (fanOut, fanIn) for orthogonal, from the spec's distribution. */
export function fillFromDistribution(out: Float32Array, spec: InitSpec, rng: RandomStream): void {
  const dist = initDistribution(spec);
  if (dist.kind === 'zeros') out.fill(0);
  else if (dist.kind === 'constant') out.fill(dist.value);
  else if (dist.kind === 'orthogonal') fillOrthogonal(out, spec.fanOut, spec.fanIn, dist.gain, rng);
  else if (dist.kind === 'uniform') for (let i = 0; i < out.length; i++) out[i] = (2 * rng.nextFloat() - 1) * dist.bound;
  else for (let i = 0; i < out.length; i++) out[i] = rng.normal() * dist.std;
}

/** Writes initial values of every parameter (into `params`) and batch-norm buffer (into `buffers`). */
export function initializeModel(plan: ModelPlan, init: InitConfig, seed: number, params: Float32Array, buffers: Float32Array): void {
  params.fill(0);
  const layers = [
    ...plan.hidden.map((h) => ({ linear: h.linear, activation: h.activation, alpha: h.alpha })),
    { linear: plan.output, activation: 'identity' as const, alpha: 0 },
  ];
  layers.forEach(({ linear, activation, alpha }, layer) => {
    const fanIn = linear.inDim;
    const fanOut = linear.outDim;
    // He init assumes a rectifier: leaky_relu's own slope, otherwise relu's gain.
    const gain = init.weights.startsWith('he_')
      ? initGain(activation === 'leaky_relu' ? 'leaky_relu' : 'relu', alpha)
      : initGain(activation, alpha);
    const w = tensorView(params, linear.weight);
    fillFromDistribution(
      w,
      { name: init.weights, fanIn, fanOut, gain, sigma: init.sigma, value: init.value },
      stream(seed, Purpose.init, layer, 0),
    );
    const b = tensorView(params, linear.bias);
    const biasInit = init.bias === 'torch_default' ? 'torch_default' : 'zeros';
    fillFromDistribution(b, { name: biasInit, fanIn, fanOut, gain: 1 }, stream(seed, Purpose.init, layer, 1));
  });
  // A residual projection P (width, inDim) takes the weight initializer with gain 1 (it feeds no
  // nonlinearity), from its own stream.
  for (const h of plan.hidden) {
    if (!h.projection) continue;
    const spec = { name: init.weights, fanIn: h.inDim, fanOut: h.width, gain: 1, sigma: init.sigma, value: init.value };
    fillFromDistribution(tensorView(params, h.projection), spec, stream(seed, Purpose.init, h.index, 2));
  }
  for (const h of plan.hidden) {
    if (!h.bn) continue;
    params.fill(1, h.bn.gamma.offset, h.bn.gamma.offset + h.bn.gamma.size);
    buffers.fill(0, h.bn.runningMean.offset, h.bn.runningMean.offset + h.width);
    buffers.fill(1, h.bn.runningVar.offset, h.bn.runningVar.offset + h.width);
  }
}
