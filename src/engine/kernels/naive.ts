/**
 * The naive kernel set: the reference every fast set is tested against, and the fallback. Its
 * code is the math itself, kept where the names are: each layer's loops in its layers/ file, the
 * penalty gradient in losses/penalties.ts, the norm and the optimizers in optim/. This file only
 * gathers them under the contract (kernels/types.ts). Module state (scratch rows) is per thread.
 */
import { activationBackward, activationForward } from '../layers/activation.js';
import { bnApply, bnBackwardInput, bnBackwardReduce, bnStats } from '../layers/batchnorm.js';
import { mul } from '../layers/dropout.js';
import { linearBackwardInput, linearBackwardWeight, linearForward, linearForwardFeatures } from '../layers/linear.js';
import { add } from '../layers/residual.js';
import { addPenaltyGrad } from '../losses/penalties.js';
import { adagradStep } from '../optim/adagrad.js';
import { adamStep } from '../optim/adam.js';
import { rmspropStep } from '../optim/rmsprop.js';
import { sumSquares } from '../optim/clipping.js';
import { sgdStep } from '../optim/sgd.js';
import type { Kernels } from './types.js';

export const naiveKernels: Kernels = {
  name: 'naive',
  linearForward,
  linearForwardFeatures,
  linearBackwardInput,
  linearBackwardWeight,
  activationForward,
  activationBackward,
  bnStats,
  bnApply,
  bnBackwardReduce,
  bnBackwardInput,
  mul,
  add,
  addPenaltyGrad,
  sumSquares,
  sgdStep,
  adamStep,
  rmspropStep,
  adagradStep,
};
