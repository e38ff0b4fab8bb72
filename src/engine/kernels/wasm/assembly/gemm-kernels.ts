/**
 * Outer-product micro-kernels for the backward products (dX = dY * w, dW = dY^T * x): register
 * tiles over raw pointers into the shared memory. No allocation, no static data, no state: any
 * number of threads may run them at once on disjoint outputs.
 *
 * The "sequential" order, the same for every output element: acc = +0, then acc = madd(a_k, b_k,
 * acc) for k = 0, 1, ... in f32 (lanes.ts: a separate mul and add, or in the relaxed-SIMD build a
 * fused multiply-add where the CPU has one), then (with addC) old C + acc. A lane of a 4x8 tile and
 * the scalar op1x1 (madd1) produce the same bits.
 * The k loops are not unrolled: V8 schedules all loads of an iteration first, and the loads of a
 * second k step would not fit beside the eight accumulators in the fifteen usable xmm registers.
 */
import { madd, madd1 } from './lanes';

/**
 * Sequential order, one element: c (+)= sum_k a[k*aks] * b[k*ldb]. With addC the old c is added
 * after the sum (c + s), like the tiles' epilogue.
 */
export function op1x1(a: usize, aks: usize, b: usize, ldb: usize, kn: i32, c: usize, addC: bool): void {
  let s: f32 = 0;
  let pa = a;
  let pb = b;
  for (let k = 0; k < kn; k++) {
    s = madd1(load<f32>(pa), load<f32>(pb), s);
    pa += aks;
    pb += ldb;
  }
  store<f32>(c, addC ? load<f32>(c) + s : s);
}

/** Rows i of a 4x8 tile: c(i, 0..7) = old (if addC) + acc. */
@inline function epilogue(c: usize, lo: v128, hi: v128, addC: bool): void {
  if (addC) {
    lo = f32x4.add(v128.load(c), lo);
    hi = f32x4.add(v128.load(c, 16), hi);
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/**
 * Sequential order, 4x8 tile with A's rows adjacent: A(i, k) at a + 4i + k*aks (dY columns for dW,
 * or a packed [k][4] panel with aks = 16); B(k, 0..7) at b + k*ldb; C(i, :) at c + i*ldc.
 */
export function op4x8adj(a: usize, aks: usize, b: usize, ldb: usize, kn: i32, c: usize, ldc: usize, addC: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  let pa = a;
  let pb = b;
  for (let k = 0; k < kn; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = v128.load32_splat(pa);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(pa, 4);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(pa, 8);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(pa, 12);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    pa += aks;
    pb += ldb;
  }
  epilogue(c, c00, c01, addC);
  epilogue(c + ldc, c10, c11, addC);
  epilogue(c + 2 * ldc, c20, c21, addC);
  epilogue(c + 3 * ldc, c30, c31, addC);
}

/**
 * Sequential order, 4x8 tile with A's rows strided and k contiguous: A(i, k) at a + i*ars + 4k
 * (dY rows for dX); B(k, 0..7) at b + k*ldb; C(i, :) at c + i*ldc. One k per iteration (see the
 * note at the top of this file).
 */
export function op4x8str(a: usize, ars: usize, b: usize, ldb: usize, kn: i32, c: usize, ldc: usize, addC: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const a1 = a + ars;
  const a2 = a1 + ars;
  const a3 = a2 + ars;
  let pb = b;
  const end = <usize>kn << 2;
  for (let k: usize = 0; k < end; k += 4) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = v128.load32_splat(a + k);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a1 + k);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a2 + k);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a3 + k);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    pb += ldb;
  }
  epilogue(c, c00, c01, addC);
  epilogue(c + ldc, c10, c11, addC);
  epilogue(c + 2 * ldc, c20, c21, addC);
  epilogue(c + 3 * ldc, c30, c31, addC);
}
