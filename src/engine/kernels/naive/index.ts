/** The naive kernel set: the reference every fast kernel is tested against, and the fallback. */
import type { Kernels } from '../types.js';
import { bnApply, bnBackwardInput, bnBackwardReduce, bnStats } from './batchnorm.js';
import { activationBackward, activationForward, add, addPenaltyGrad, mul, sumSquares } from './elementwise.js';
import { linearBackwardInput, linearBackwardWeight, linearForward } from './linear.js';
import { adamStep, sgdStep } from './optim.js';

export const naiveKernels: Kernels = {
  name: 'naive',
  linearForward,
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
};
