/**
 * Dot-product micro-kernels for the forward product y = x * w^T + b, where x rows and w rows are
 * both contiguous in k (no packing needed). Raw pointers, no allocation, no state: any number of
 * threads may run them at once on disjoint outputs.
 *
 * The "four-lane dot" order, the same for every output element in every kernel here: lane l sums
 * the products with k % 4 == l (k < K & ~3) in ascending k from +0 (madd of lanes.ts: mul then
 * add, or fused in the relaxed-SIMD build where the CPU has FMA); then s = (l0 + l1) + (l2 + l3); then the K % 4 tail products are added in ascending k;
 * then the bias (dotFinish). The kernels differ only in how many elements they carry at once, so
 * the bits of an element do not depend on which kernel, tile or call computed it.
 */
import { madd } from './lanes';

/** s = (l0 + l1) + (l2 + l3), then the tail products k in [k4, kn), then + bias. */
@inline function dotFinish(acc: v128, x: usize, w: usize, k4: i32, kn: i32, bias: f32): f32 {
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (let k = k4; k < kn; k++) s += load<f32>(x + (<usize>k << 2)) * load<f32>(w + (<usize>k << 2));
  return s + bias;
}

/** One output: x(kn) . w(kn) + bias; k4 = kn & ~3. */
export function dot1x1(x: usize, w: usize, k4: i32, kn: i32, bias: f32): f32 {
  let a = f32x4.splat(0);
  const end = <usize>k4 << 2;
  for (let k: usize = 0; k < end; k += 16) a = madd(v128.load(x + k), v128.load(w + k), a);
  return dotFinish(a, x, w, k4, kn, bias);
}

/**
 * Four rows x0 + i*ldx against two rows w0, w0 + ldw with bias b[0..1]: outputs y0 + i*ldy + {0, 4}.
 * Eight accumulators plus the loaded values fill V8's fifteen usable xmm registers.
 */
export function dot4x2(x0: usize, ldx: usize, w0: usize, ldw: usize, k4: i32, kn: i32, b: usize, y0: usize, ldy: usize): void {
  const x1 = x0 + ldx;
  const x2 = x1 + ldx;
  const x3 = x2 + ldx;
  const w1 = w0 + ldw;
  let a00 = f32x4.splat(0);
  let a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
  const end = <usize>k4 << 2;
  for (let k: usize = 0; k < end; k += 16) {
    const u = v128.load(w0 + k);
    const v = v128.load(w1 + k);
    let p = v128.load(x0 + k);
    a00 = madd(p, u, a00);
    a01 = madd(p, v, a01);
    p = v128.load(x1 + k);
    a10 = madd(p, u, a10);
    a11 = madd(p, v, a11);
    p = v128.load(x2 + k);
    a20 = madd(p, u, a20);
    a21 = madd(p, v, a21);
    p = v128.load(x3 + k);
    a30 = madd(p, u, a30);
    a31 = madd(p, v, a31);
  }
  const b0 = load<f32>(b);
  const b1 = load<f32>(b, 4);
  store<f32>(y0, dotFinish(a00, x0, w0, k4, kn, b0));
  store<f32>(y0, dotFinish(a01, x0, w1, k4, kn, b1), 4);
  store<f32>(y0 + ldy, dotFinish(a10, x1, w0, k4, kn, b0));
  store<f32>(y0 + ldy, dotFinish(a11, x1, w1, k4, kn, b1), 4);
  store<f32>(y0 + 2 * ldy, dotFinish(a20, x2, w0, k4, kn, b0));
  store<f32>(y0 + 2 * ldy, dotFinish(a21, x2, w1, k4, kn, b1), 4);
  store<f32>(y0 + 3 * ldy, dotFinish(a30, x3, w0, k4, kn, b0));
  store<f32>(y0 + 3 * ldy, dotFinish(a31, x3, w1, k4, kn, b1), 4);
}

/** Four rows x0 + i*ldx against one row w with bias at b: outputs y0 + i*ldy. */
export function dot4x1(x0: usize, ldx: usize, w: usize, k4: i32, kn: i32, b: usize, y0: usize, ldy: usize): void {
  const x1 = x0 + ldx;
  const x2 = x1 + ldx;
  const x3 = x2 + ldx;
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0;
  const end = <usize>k4 << 2;
  for (let k: usize = 0; k < end; k += 16) {
    const v = v128.load(w + k);
    a0 = madd(v128.load(x0 + k), v, a0);
    a1 = madd(v128.load(x1 + k), v, a1);
    a2 = madd(v128.load(x2 + k), v, a2);
    a3 = madd(v128.load(x3 + k), v, a3);
  }
  const bias = load<f32>(b);
  store<f32>(y0, dotFinish(a0, x0, w, k4, kn, bias));
  store<f32>(y0 + ldy, dotFinish(a1, x1, w, k4, kn, bias));
  store<f32>(y0 + 2 * ldy, dotFinish(a2, x2, w, k4, kn, bias));
  store<f32>(y0 + 3 * ldy, dotFinish(a3, x3, w, k4, kn, bias));
}

/** One row x against four rows w0 + j*ldw with bias b[0..3]: outputs y[0..3]. */
export function dot1x4(x: usize, w0: usize, ldw: usize, k4: i32, kn: i32, b: usize, y: usize): void {
  const w1 = w0 + ldw;
  const w2 = w1 + ldw;
  const w3 = w2 + ldw;
  let a0 = f32x4.splat(0);
  let a1 = a0, a2 = a0, a3 = a0;
  const end = <usize>k4 << 2;
  for (let k: usize = 0; k < end; k += 16) {
    const p = v128.load(x + k);
    a0 = madd(p, v128.load(w0 + k), a0);
    a1 = madd(p, v128.load(w1 + k), a1);
    a2 = madd(p, v128.load(w2 + k), a2);
    a3 = madd(p, v128.load(w3 + k), a3);
  }
  store<f32>(y, dotFinish(a0, x, w0, k4, kn, load<f32>(b)));
  store<f32>(y, dotFinish(a1, x, w1, k4, kn, load<f32>(b, 4)), 4);
  store<f32>(y, dotFinish(a2, x, w2, k4, kn, load<f32>(b, 8)), 8);
  store<f32>(y, dotFinish(a3, x, w3, k4, kn, load<f32>(b, 12)), 12);
}
