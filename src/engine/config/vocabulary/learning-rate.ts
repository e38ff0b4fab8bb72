/**
 * The usual learning rates of each optimizer, and the warning (never an error) for a rate outside
 * them: a design form and a validation result say so, the run is still allowed (a teacher may
 * want to show divergence on purpose). Pure data and a pure function.
 *
 * Sources:
 *   sgd    Bengio, "Practical Recommendations for Gradient-Based Training of Deep Architectures"
 *          (2012), §3.1.1: with standardized inputs, typical learning rates are "less than 1 and
 *          greater than 10^-6".
 *   adam,  Kingma & Ba, "Adam: A Method for Stochastic Optimization" (ICLR 2015): default step size
 *   adamw  0.001, and (§2.1) each step moves a parameter by about the step size at most. Steps above
 *          0.1 rival the weights themselves (about 1/sqrt(fan-in) at initialization); below 1e-5 a
 *          few epochs barely move them. So 1e-5 to 0.1, two decades each side of the default.
 */

export interface UsualRange {
  low: number;
  high: number;
  source: string;
}

const ADAM: UsualRange = { low: 1e-5, high: 0.1, source: 'Kingma & Ba 2015' };

export const LEARNING_RATE_RANGES: Readonly<Record<'sgd' | 'adam' | 'adamw', UsualRange>> = {
  sgd: { low: 1e-6, high: 1, source: 'Bengio 2012' },
  adam: ADAM,
  adamw: ADAM,
};

/** Why a learning rate is unusual for the optimizer, or null when it is in the usual range (or not a rate). */
export function learningRateWarning(optimizer: unknown, lr: unknown): string | null {
  const range =
    typeof optimizer === 'string' && Object.hasOwn(LEARNING_RATE_RANGES, optimizer) ? LEARNING_RATE_RANGES[optimizer as 'sgd'] : null;
  if (!range || typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) return null;
  const usual = `the usual range for ${optimizer} is ${short(range.low)} to ${short(range.high)} (${range.source})`;
  if (lr > range.high) return `${lr} is far above the usual learning rates: ${usual}; training will likely diverge`;
  if (lr < range.low) return `${lr} is far below the usual learning rates: ${usual}; training will barely move`;
  return null;
}

const short = (v: number) => (v < 1e-3 ? v.toExponential() : String(v));
