/**
 * Vector special functions for the activation kernels: exp, expm1, log1p on f32x4 lanes (about
 * 1 ulp of f32), exp on f64x2 lanes (expD, for gelu and gelu_tanh, whose derivatives cancel and
 * whose arguments are formed in f64), and the pieces of the normal tail erfc(|x|/sqrt 2) for gelu.
 * Pure functions of their lanes (no cross-lane work), so an element's result never depends on its
 * neighbours, its alignment or the call it came in. No tables, no static data, no state.
 *
 * Accuracy (measured by test/kernels-wasm.test.ts against float64 references, see the report):
 * expm1 on the reduced range is a least-squares fit with max error 0.74 ulp in f32; the others
 * add one or two roundings on top. Polynomials are evaluated with separate mul and add (no FMA),
 * so results are identical on every platform.
 */

import { d2, f4, sel } from './lanes';

// exp reduction: x = n ln2 + r, |r| <= ln2/2. LN2_HI has 9 significant bits, so n * LN2_HI is exact
// for |n| < 2^15 and x - n * LN2_HI is exact (Sterbenz); LN2_HI - ln2 is added back separately.
const LOG2E: f32 = 1.44269504089;
const LN2_HI: f32 = 0.693359375;
const LN2_HI_MINUS_LN2: f32 = 2.12194440e-4;
const LOG2E_64: f64 = 1.4426950408889634;

// expm1(r) = r + r^2 * (E0 + E1 r + ... + E5 r^5) on |r| <= ln2/2 (weighted least squares fit).
const E0: f32 = 0.5;
const E1: f32 = 0.1666666716337204;
const E2: f32 = 0.04166635125875473;
const E3: f32 = 0.008333288133144379;
const E4: f32 = 0.0013941163197159767;
const E5: f32 = 0.00019905265071429312;

/** expm1(r) for |r| <= ln2/2, max error 0.74 ulp. */
@inline function expm1Reduced(r: v128): v128 {
  let s = f32x4.add(f32x4.mul(f4(E5), r), f4(E4));
  s = f32x4.add(f32x4.mul(s, r), f4(E3));
  s = f32x4.add(f32x4.mul(s, r), f4(E2));
  s = f32x4.add(f32x4.mul(s, r), f4(E1));
  s = f32x4.add(f32x4.mul(s, r), f4(E0));
  return f32x4.add(r, f32x4.mul(f32x4.mul(r, r), s));
}

/** 2^n for integer lanes n in [-126, 127], as f32 bits. */
@inline function pow2(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
}

/**
 * x clamped to [lo, hi] with NaN kept: pmax(x, c) is x < c ? c : x and pmin(y, c) is c < y ? c : y
 * (one instruction each, unlike min/max), so a NaN x passes through both.
 */
@inline function clamp4(x: v128, lo: f32, hi: f32): v128 {
  return f32x4.pmin(f32x4.pmax(x, f4(lo)), f4(hi));
}

/** (1 + q) * 2^n with n in [-150, 128]: two exact scalings so subnormal results round once. */
@inline function scaleExp(q: v128, n: v128): v128 {
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  return f32x4.mul(f32x4.mul(f32x4.add(f4(1), q), pow2(n1)), pow2(n2));
}

/** exp(x) on f32x4 lanes; NaN propagates, overflow gives +Infinity, underflow +0. */
@inline export function expF32(x: v128): v128 {
  // The clamp keeps n inside scaleExp's range.
  x = clamp4(x, -104, 88.8);
  const n = f32x4.nearest(f32x4.mul(x, f4(LOG2E)));
  const r = f32x4.add(f32x4.sub(x, f32x4.mul(n, f4(LN2_HI))), f32x4.mul(n, f4(LN2_HI_MINUS_LN2)));
  return scaleExp(expm1Reduced(r), i32x4.trunc_sat_f32x4_s(n));
}

// f64 exp: |r| <= ln2/2 with a two-part ln2 (fdlibm), Taylor to r^10 (relative error < 3e-13),
// 2^n built in the exponent bits: n + 1.5 * 2^52 holds n in its low mantissa bits.
const LN2_HI_64: f64 = 6.93147180369123816490e-1;
const LN2_LO_64: f64 = 1.90821492927058770002e-10;
const EXP_MAGIC: f64 = 6755399441055744.0;
const EXP_MAGIC_BITS: i64 = 0x4338000000000000;

/**
 * exp(a) on f64x2 lanes, relative error < 1e-12, for results that are rounded to f32 afterwards:
 * below -200 it returns 0, above 100 Infinity (both far outside f32's range); NaN propagates.
 */
@inline export function expD(a0: v128): v128 {
  const a = f64x2.pmin(f64x2.pmax(a0, d2(-200)), d2(100));
  const n = f64x2.nearest(f64x2.mul(a, d2(LOG2E_64)));
  const r = f64x2.sub(f64x2.sub(a, f64x2.mul(n, d2(LN2_HI_64))), f64x2.mul(n, d2(LN2_LO_64)));
  let p = f64x2.add(f64x2.mul(d2(1.0 / 3628800), r), d2(1.0 / 362880));
  p = f64x2.add(f64x2.mul(p, r), d2(1.0 / 40320));
  p = f64x2.add(f64x2.mul(p, r), d2(1.0 / 5040));
  p = f64x2.add(f64x2.mul(p, r), d2(1.0 / 720));
  p = f64x2.add(f64x2.mul(p, r), d2(1.0 / 120));
  p = f64x2.add(f64x2.mul(p, r), d2(1.0 / 24));
  p = f64x2.add(f64x2.mul(p, r), d2(1.0 / 6));
  p = f64x2.add(f64x2.mul(p, r), d2(0.5));
  p = f64x2.add(f64x2.mul(p, r), d2(1));
  p = f64x2.add(f64x2.mul(p, r), d2(1));
  const ni = i64x2.sub(f64x2.add(n, d2(EXP_MAGIC)), i64x2.splat(EXP_MAGIC_BITS));
  const e = f64x2.mul(p, i64x2.shl(i64x2.add(ni, i64x2.splat(1023)), 52));
  // Outside the clamp: exactly 0 and Infinity, so that 0 * Infinity makes NaN like the reference.
  return sel(f64x2.lt(a0, d2(-200)), d2(0), sel(f64x2.gt(a0, d2(100)), d2(Infinity), e));
}

/** expm1(x) on f32x4 lanes; expm1(+-0) = +-0, NaN propagates, -Infinity gives -1. */
@inline export function expm1F32(x: v128): v128 {
  const c = clamp4(x, -30, 88);
  const n = f32x4.nearest(f32x4.mul(c, f4(LOG2E)));
  const r = f32x4.add(f32x4.sub(c, f32x4.mul(n, f4(LN2_HI))), f32x4.mul(n, f4(LN2_HI_MINUS_LN2)));
  const q = expm1Reduced(r);
  const p = pow2(i32x4.trunc_sat_f32x4_s(n));
  // 2^n q + (2^n - 1), written as a difference so that n = 0 returns q exactly.
  const e = f32x4.sub(f32x4.mul(p, q), f32x4.sub(f4(1), p));
  return sel(f32x4.eq(x, f4(0)), x, e);
}

// log1p(f) = f - hfsq + s (hfsq + R), s = f / (2 + f), for f in [sqrt(2)/2 - 1, sqrt(2) - 1]
// (the fdlibm/musl logf polynomial, |error| < 1 ulp).
const LG1: f32 = 0.66666662693;
const LG2: f32 = 0.40000972152;
const LG3: f32 = 0.28498786688;
const LG4: f32 = 0.24279078841;
const LN2_HI_LOG: f32 = 6.9313812256e-1;
const LN2_LO_LOG: f32 = 9.0580006145e-6;

/** log1p(u) for u in [0, 1] (softplus); NaN propagates. */
@inline export function log1pUnit(u: v128): v128 {
  // 1 + u = 2^k (1 + f): k = 0 keeps f = u exact; k = 1 gives f = u/2 - 1/2 (one tiny rounding).
  const big = f32x4.ge(u, f4(0.41421356));
  const f = sel(big, f32x4.sub(f32x4.mul(u, f4(0.5)), f4(0.5)), u);
  const k = v128.and(big, f4(1));
  const s = f32x4.div(f, f32x4.add(f4(2), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(f4(LG2), f32x4.mul(w, f4(LG4))));
  const t2 = f32x4.mul(z, f32x4.add(f4(LG1), f32x4.mul(w, f4(LG3))));
  const hfsq = f32x4.mul(f4(0.5), f32x4.mul(f, f));
  let r = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, f32x4.add(t2, t1))), f32x4.mul(k, f4(LN2_LO_LOG)));
  r = f32x4.add(f32x4.sub(r, hfsq), f);
  return f32x4.add(r, f32x4.mul(k, f4(LN2_HI_LOG)));
}

// erfc(|x| / sqrt 2) = exp(-x^2/2) t G(t), t = 1 / (1 + |x|/4), for |x| >= 1.45: G is a
// least-squares fit on |x| in [1.45, 14.5] (beyond, the result underflows f32) with relative error
// 1.2e-10, evaluated in f64.
const G0: f64 = 0.19946653385635252;
const G1: f64 = 0.19959131818313613;
const G2: f64 = 0.18561911631879885;
const G3: f64 = 0.17135163557130417;
const G4: f64 = 0.08701624605386613;
const G5: f64 = 0.2018862706582347;
const G6: f64 = -0.17731846060724127;
const G7: f64 = 0.2981255610116871;
const G8: f64 = -0.2179228443519481;
const G9: f64 = 0.052189958187008514;

/** erfc(|x| / sqrt 2) / exp(-x^2/2) = t G(t) for one f64x2 with |x| >= 1.45. */
@inline export function tailRatio(x: v128): v128 {
  const t = f64x2.div(d2(1), f64x2.add(d2(1), f64x2.mul(f64x2.abs(x), d2(0.25))));
  let g = f64x2.add(f64x2.mul(d2(G9), t), d2(G8));
  g = f64x2.add(f64x2.mul(g, t), d2(G7));
  g = f64x2.add(f64x2.mul(g, t), d2(G6));
  g = f64x2.add(f64x2.mul(g, t), d2(G5));
  g = f64x2.add(f64x2.mul(g, t), d2(G4));
  g = f64x2.add(f64x2.mul(g, t), d2(G3));
  g = f64x2.add(f64x2.mul(g, t), d2(G2));
  g = f64x2.add(f64x2.mul(g, t), d2(G1));
  g = f64x2.add(f64x2.mul(g, t), d2(G0));
  return f64x2.mul(t, g);
}

// erf(z) = z Q(z^2) on |z| <= 1.0614 (|x| <= 1.5 for z = x / sqrt 2): least-squares fit, relative
// error 7e-14, evaluated in f64.
const Q0: f64 = 1.1283791670954548;
const Q1: f64 = -0.37612638902154927;
const Q2: f64 = 0.11283791640656354;
const Q3: f64 = -0.026866167178632275;
const Q4: f64 = 0.005223957439950523;
const Q5: f64 = -0.0008547649631434474;
const Q6: f64 = 0.00012041419310681009;
const Q7: f64 = -1.4747094958443074e-5;
const Q8: f64 = 1.5051149536401794e-6;
const Q9: f64 = -9.904207795246966e-8;

/** Phi(x) = (1 + erf(x / sqrt 2)) / 2 for one f64x2 with |x| <= 1.5 (where gelu' = Phi + x phi cancels). */
@inline export function normalCdfCentral(x: v128): v128 {
  const w = f64x2.mul(f64x2.mul(x, x), d2(0.5));
  let q = f64x2.add(f64x2.mul(d2(Q9), w), d2(Q8));
  q = f64x2.add(f64x2.mul(q, w), d2(Q7));
  q = f64x2.add(f64x2.mul(q, w), d2(Q6));
  q = f64x2.add(f64x2.mul(q, w), d2(Q5));
  q = f64x2.add(f64x2.mul(q, w), d2(Q4));
  q = f64x2.add(f64x2.mul(q, w), d2(Q3));
  q = f64x2.add(f64x2.mul(q, w), d2(Q2));
  q = f64x2.add(f64x2.mul(q, w), d2(Q1));
  q = f64x2.add(f64x2.mul(q, w), d2(Q0));
  const erf = f64x2.mul(f64x2.mul(x, d2(0.7071067811865476)), q);
  return f64x2.add(d2(0.5), f64x2.mul(d2(0.5), erf));
}
