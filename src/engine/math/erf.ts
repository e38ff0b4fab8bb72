/**
 * Scalar special functions the activations need and JavaScript lacks. Double precision; the
 * engine rounds results to float32 when it stores them.
 */

/**
 * erf(x) with about 1e-16 relative error: W. J. Cody's rational approximations (1969), as in
 * fdlibm's s_erf.c regions, evaluated in double precision.
 */
// prettier-ignore
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax <= 0.46875) {
    const t = x * x;
    const top = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
    const bot = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    return (x * top) / bot;
  }
  return x < 0 ? -(1 - erfcPositive(ax)) : 1 - erfcPositive(ax);
}

/** erfc(x) for x > 0.46875. */
// prettier-ignore
function erfcPositive(x: number): number {
  if (x >= 27) return 0;
  let r: number;
  if (x < 4) {
    const c = [
      2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1, 2.98635138197400131e2,
      8.8195222124176909e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3,
    ];
    const d = [
      1, 1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
      4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
    ];
    let top = 0;
    let bot = 0;
    for (let i = 0; i < 9; i++) {
      top = top * x + c[i];
      bot = bot * x + d[i];
    }
    r = top / bot;
  } else {
    const z = 1 / (x * x);
    const top = ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z + 1.25781726111229246e-1) * z + 1.60837851487422766e-2) * z + 6.58749161529837803e-4;
    const bot = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z + 6.05183413124413191e-2) * z + 2.33520497626869185e-3;
    r = (1 / x) * (1 / Math.sqrt(Math.PI) - (z * top) / bot);
  }
  // exp(-x^2) computed as exp(-xh^2) * exp(-(x-xh)(x+xh)) to keep precision for large x.
  const xh = Math.trunc(x * 16) / 16;
  return Math.exp(-xh * xh) * Math.exp(-(x - xh) * (x + xh)) * r;
}
