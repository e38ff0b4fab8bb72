/**
 * Elementwise kernels: products and sums of two tensors, the L1/L2 penalty gradient, and the
 * float64 sum of squares used by global-norm gradient clipping. Lane code only (each element's
 * result depends on its own inputs), tails through zero-filled partial vectors; out may alias an
 * input at the same offset. mul/add/add_penalty_grad equal the naive kernels bit for bit (f32
 * products and sums are correctly rounded; the penalty runs in f64 like the reference).
 * sum_squares is not bit-equal to the naive sequential sum: it keeps eight f64 partial sums
 * (element i goes to partial i % 8) combined in a fixed tree, then adds the last n % 8 squares in
 * order, so its bits depend on n and the data alone. Stateless; any thread may call.
 */
import { floatArg } from './floats';
import { d2, hi64, join32, lo64, loadTail, sel, storeTail } from './lanes';

export function mul(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storeTail(out + o, f32x4.mul(loadTail(a + o, n - i), loadTail(b + o, n - i)), n - i);
  }
}

export function add(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storeTail(out + o, f32x4.add(loadTail(a + o, n - i), loadTail(b + o, n - i)), n - i);
  }
}

/** g + (2 l2 w + l1 sign(w)) for one f64x2 of w and g (sign(0) = sign(NaN) = 0, as in the reference). */
@inline function penalty(w: v128, g: v128, twoL2: f64, l1: f64): v128 {
  const sign = sel(f64x2.gt(w, d2(0)), d2(1), sel(f64x2.lt(w, d2(0)), d2(-1), d2(0)));
  return f64x2.add(g, f64x2.add(f64x2.mul(d2(twoL2), w), f64x2.mul(d2(l1), sign)));
}

@inline function penalty4(w: v128, g: v128, twoL2: f64, l1: f64): v128 {
  return join32(penalty(lo64(w), lo64(g), twoL2, l1), penalty(hi64(w), hi64(g), twoL2, l1));
}

export function add_penalty_grad(p: usize, g: usize, n: i32, l1: f64, l2: f64): void {
  l1 = floatArg(0);
  l2 = floatArg(1);
  const twoL2 = 2 * l2;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, penalty4(v128.load(p + o), v128.load(g + o), twoL2, l1));
  }
  if (i < n) {
    const o = <usize>i << 2;
    const k = n - i;
    storeTail(g + o, penalty4(loadTail(p + o, k), loadTail(g + o, k), twoL2, l1), k);
  }
}

@inline function sq(v: v128): v128 {
  return f64x2.mul(v, v);
}

/** Writes the sum to the f64 at `out` (no kernel returns a value; contract.ts). */
export function sum_squares(x: usize, n: i32, out: usize): void {
  let a0 = d2(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    const u = v128.load(p);
    const v = v128.load(p, 16);
    a0 = f64x2.add(a0, sq(lo64(u)));
    a1 = f64x2.add(a1, sq(hi64(u)));
    a2 = f64x2.add(a2, sq(lo64(v)));
    a3 = f64x2.add(a3, sq(hi64(v)));
  }
  const t = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    s += v * v;
  }
  store<f64>(out, s);
}
