/**
 * torch.nn.init.calculate_gain: the gain an initializer applies for the nonlinearity that follows
 * a linear layer. Pure function; any thread.
 */
import type { ActivationName } from '../config/types.js';

/** torch.nn.init.calculate_gain for the nonlinearity that follows a linear layer. */
export function initGain(activation: ActivationName, alpha: number): number {
  switch (activation) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
      return Math.sqrt(2 / (1 + alpha * alpha));
    case 'selu':
      return 3 / 4;
    default:
      // identity, sigmoid and the functions torch has no gain for (elu, gelu, softplus, silu, mish): 1.
      return 1;
  }
}
