/**
 * The vocabulary of `model`: the base multilayer perceptron (see types.ts for the entry format).
 * Pure data.
 */
import type { Vocabulary } from './types.js';

/** PyTorch BatchNorm1d's constants; Ablate's batch norm is not configurable beyond its placement. */
export const BATCH_NORM_CONSTANTS = { eps: 1e-5, momentum: 0.1 } as const;

const MAX_HIDDEN_LAYERS = 1000;

export const MODEL = {
  model: {
    type: 'object',
    def: 'model',
    required: true,
    description: 'The base model every variant starts from: a multilayer perceptron.',
  },
  'model.inputSize': {
    type: 'integer',
    required: true,
    min: 1,
    max: 16777216,
    units: 'features',
    description: 'Number of input features; must match the data.',
  },
  'model.hidden': {
    type: 'array',
    required: true,
    maxItems: MAX_HIDDEN_LAYERS,
    description: `Hidden layers, input to output (may be empty, at most ${MAX_HIDDEN_LAYERS}).`,
  },
  'model.hidden[]': {
    type: 'object',
    def: 'hiddenLayer',
    description:
      'One hidden layer: linear -> [batch norm pre] -> activation -> [batch norm post] -> dropout, plus an optional residual connection.',
  },
  'model.hidden[].width': { type: 'integer', required: true, min: 1, max: 65536, units: 'units', description: 'Number of units.' },
  'model.hidden[].activation': {
    type: 'enum',
    required: true,
    values: ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'gelu_tanh', 'selu', 'softplus', 'silu', 'mish'],
    description:
      'Activation function (gelu is the erf form, gelu_tanh the tanh approximation; silu is swish with beta 1, x sigmoid(x); mish is x tanh(softplus(x))).',
  },
  'model.hidden[].alpha': {
    type: 'number',
    min: 0,
    max: 1000,
    default: { by: 'activation', values: { leaky_relu: 0.01, elu: 1 }, otherwise: 0 },
    description: 'Slope of leaky_relu or scale of elu (must be above 0). Only these two take alpha.',
  },
  'model.hidden[].batchNorm': {
    type: 'enum',
    values: ['none', 'pre', 'post'],
    default: 'none',
    description: `Batch norm before the activation (pre), after it (post) or none. PyTorch BatchNorm1d: eps ${BATCH_NORM_CONSTANTS.eps}, momentum ${BATCH_NORM_CONSTANTS.momentum}.`,
  },
  'model.hidden[].dropout': {
    type: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 0,
    description: 'Inverted dropout probability after the activation, in [0, 1).',
  },
  'model.hidden[].residual': {
    type: 'boolean',
    default: false,
    description:
      "out = f(in) + in when the layer's width equals its input width, else out = f(in) + P in with a learned projection P (width x input width, no bias), as ResNet's projection shortcut.",
  },
  'model.outputSize': {
    type: 'integer',
    required: true,
    min: 1,
    max: 65536,
    description: 'Number of outputs: classes for softmax, 1 for sigmoid, targets for linear.',
  },
  'model.head': {
    type: 'enum',
    required: true,
    values: ['softmax', 'sigmoid', 'linear'],
    description:
      'The output head fixes the loss: softmax -> softmax cross-entropy, sigmoid -> binary cross-entropy with logits, linear -> mean squared error.',
  },
  'model.init': {
    type: 'object',
    required: true,
    description: "Parameter initialization (torch.nn.init conventions; gains follow each layer's activation).",
  },
  'model.init.weights': {
    type: 'enum',
    required: true,
    values: [
      'glorot_uniform',
      'glorot_normal',
      'he_uniform',
      'he_normal',
      'lecun_uniform',
      'lecun_normal',
      'torch_default',
      'zeros',
      'normal',
      'orthogonal',
      'constant',
    ],
    description:
      "Weight initializer. normal draws N(0, sigma^2) with the sigma below (a deliberately bad init for teaching); orthogonal is torch's orthogonal_ scaled by the layer activation's gain; constant sets every weight to the value below (zeros and constant break symmetry: every unit of a layer stays identical).",
  },
  'model.init.bias': {
    type: 'enum',
    required: true,
    values: ['zeros', 'torch_default'],
    description: 'Bias initializer: zeros (Keras) or torch_default (PyTorch Linear).',
  },
  'model.init.sigma': {
    type: 'number',
    min: 0,
    minExclusive: true,
    max: 1000000,
    description: 'Standard deviation of the normal initializer.',
  },
  'model.init.value': {
    type: 'number',
    min: -1000000,
    max: 1000000,
    description: 'Every weight of the constant initializer (torch.nn.init.constant_); biases follow model.init.bias.',
  },
} as const satisfies Vocabulary;
