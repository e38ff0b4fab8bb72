/**
 * Lane helpers shared by the kernels: splats, f32x4 <-> f64x2 conversion, lane select, full or
 * partial loads/stores of k = 1..4 f32 lanes (so the last n % 4 elements run through exactly the
 * same lane code as the others), and the products' multiply-add. Pure, stateless.
 */

@inline export function f4(x: f32): v128 {
  return f32x4.splat(x);
}

@inline export function d2(x: f64): v128 {
  return f64x2.splat(x);
}

/** Lanes 0, 1 of an f32x4 as f64x2 (exact). */
@inline export function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2, 3 of an f32x4 as f64x2 (exact). */
@inline export function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Rounds two f64x2 (round to nearest even, like a Float32Array store) to one f32x4, lo first. */
@inline export function join32(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** mask ? a : b, lane by lane (mask lanes all ones or all zeros). */
@inline export function sel(mask: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/** f32 lanes 0..k-1 from p (k in 1..3), the others +0. */
@inline export function loadTail(p: usize, k: i32): v128 {
  let v = v128.load32_lane(p, f4(0), 0);
  if (k > 1) v = v128.load32_lane(p, v, 1, 4);
  if (k > 2) v = v128.load32_lane(p, v, 2, 8);
  return v;
}

/** Stores f32 lanes 0..k-1 of v to p (k in 1..3). */
@inline export function storeTail(p: usize, v: v128, k: i32): void {
  v128.store32_lane(p, v, 0);
  if (k > 1) v128.store32_lane(p, v, 1, 4);
  if (k > 2) v128.store32_lane(p, v, 2, 8);
}

/** f32 lanes 0..k-1 from p (k = 4: one full vector; k in 1..3: the others +0). */
@inline export function ld(p: usize, k: i32): v128 {
  return k == 4 ? v128.load(p) : loadTail(p, k);
}

/** Stores f32 lanes 0..k-1 of v to p (k = 4: one full vector). */
@inline export function st(p: usize, v: v128, k: i32): void {
  if (k == 4) v128.store(p, v);
  else storeTail(p, v, k);
}

/**
 * c + a * b on f32 lanes, the step of every product kernel. In the module built with relaxed SIMD
 * (scripts/build-wasm.mjs builds both) it is relaxed_madd: fused on CPUs with FMA (one rounding),
 * else a multiply and an add, the same choice for every lane and call on one machine; in the plain
 * module always a multiply and an add (the same bits on every platform).
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** c + a * b on one f32, rounded exactly as one lane of madd (scalar edges of the products). */
@inline export function madd1(a: f32, b: f32, c: f32): f32 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
  return c + a * b;
}
