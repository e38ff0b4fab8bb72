/**
 * Training-mode batch-norm kernels over x(rows, width), features contiguous within a row. Four
 * features per step as two f64x2 (the last width % 4 through zero-filled partial vectors); every
 * per-feature sum runs over rows in ascending order from +0 in f64, and the per-element formulas are
 * the naive kernels' float64 expressions, so results equal the naive kernels bit for bit and do not
 * depend on how rows or features are split into calls. Stateless; any thread may call, on disjoint
 * outputs. dX may alias dY.
 */
import { d2, hi64, join32, ld, lo64, st } from './lanes';

/** Mean and biased variance (two passes) of the k features at column byte offset o. */
@inline function stats4(x: usize, mean: usize, variance: usize, rows: i32, ldx: usize, o: usize, k: i32): void {
  const cnt = d2(<f64>rows);
  let sl = d2(0);
  let sh = sl;
  let p = x + o;
  for (let r = 0; r < rows; r++) {
    const v = ld(p, k);
    sl = f64x2.add(sl, lo64(v));
    sh = f64x2.add(sh, hi64(v));
    p += ldx;
  }
  const ml = f64x2.div(sl, cnt);
  const mh = f64x2.div(sh, cnt);
  let ql = d2(0);
  let qh = ql;
  p = x + o;
  for (let r = 0; r < rows; r++) {
    const v = ld(p, k);
    const dl = f64x2.sub(lo64(v), ml);
    const dh = f64x2.sub(hi64(v), mh);
    ql = f64x2.add(ql, f64x2.mul(dl, dl));
    qh = f64x2.add(qh, f64x2.mul(dh, dh));
    p += ldx;
  }
  st(mean + o, join32(ml, mh), k);
  st(variance + o, join32(f64x2.div(ql, cnt), f64x2.div(qh, cnt)), k);
}

export function bn_stats(x: usize, mean: usize, variance: usize, rows: i32, width: i32, f0: i32, f1: i32): void {
  const ldx = <usize>width << 2;
  let f = f0;
  for (; f + 4 <= f1; f += 4) stats4(x, mean, variance, rows, ldx, <usize>f << 2, 4);
  if (f < f1) stats4(x, mean, variance, rows, ldx, <usize>f << 2, f1 - f);
}

/** xhat = round((x - mean) * rstd); y = xhat * gamma + beta (f64, rounded once), k features at e / o. */
@inline function apply4(x: usize, mean: usize, rstd: usize, gamma: usize, beta: usize, xhat: usize, y: usize, e: usize, o: usize, k: i32): void {
  const xv = ld(x + e, k);
  const m = ld(mean + o, k);
  const rs = ld(rstd + o, k);
  const h = join32(f64x2.mul(f64x2.sub(lo64(xv), lo64(m)), lo64(rs)), f64x2.mul(f64x2.sub(hi64(xv), hi64(m)), hi64(rs)));
  st(xhat + e, h, k);
  const g = ld(gamma + o, k);
  const b = ld(beta + o, k);
  st(y + e, join32(f64x2.add(f64x2.mul(lo64(h), lo64(g)), lo64(b)), f64x2.add(f64x2.mul(hi64(h), hi64(g)), hi64(b))), k);
}

export function bn_apply(x: usize, mean: usize, rstd: usize, gamma: usize, beta: usize, xhat: usize, y: usize, rows: i32, width: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * (<usize>width << 2);
    let f = 0;
    for (; f + 4 <= width; f += 4) apply4(x, mean, rstd, gamma, beta, xhat, y, row + (<usize>f << 2), <usize>f << 2, 4);
    if (f < width) apply4(x, mean, rstd, gamma, beta, xhat, y, row + (<usize>f << 2), <usize>f << 2, width - f);
  }
}

/** dGamma = sum_r dY xhat, dBeta = sum_r dY for the k features at column byte offset o. */
@inline function reduce4(dY: usize, xhat: usize, dGamma: usize, dBeta: usize, rows: i32, ld0: usize, o: usize, k: i32): void {
  let gl = d2(0);
  let gh = gl;
  let bl = gl;
  let bh = gl;
  let p = o;
  for (let r = 0; r < rows; r++) {
    const g = ld(dY + p, k);
    const h = ld(xhat + p, k);
    bl = f64x2.add(bl, lo64(g));
    bh = f64x2.add(bh, hi64(g));
    gl = f64x2.add(gl, f64x2.mul(lo64(g), lo64(h)));
    gh = f64x2.add(gh, f64x2.mul(hi64(g), hi64(h)));
    p += ld0;
  }
  st(dGamma + o, join32(gl, gh), k);
  st(dBeta + o, join32(bl, bh), k);
}

export function bn_backward_reduce(dY: usize, xhat: usize, dGamma: usize, dBeta: usize, rows: i32, width: i32, f0: i32, f1: i32): void {
  const ld0 = <usize>width << 2;
  let f = f0;
  for (; f + 4 <= f1; f += 4) reduce4(dY, xhat, dGamma, dBeta, rows, ld0, <usize>f << 2, 4);
  if (f < f1) reduce4(dY, xhat, dGamma, dBeta, rows, ld0, <usize>f << 2, f1 - f);
}

/** ((gamma rstd) / batch) (batch dY - dBeta - xhat dGamma) for one f64x2. */
@inline function inputGrad(g: v128, h: v128, gm: v128, rs: v128, dg: v128, db: v128, batch: v128): v128 {
  const scale = f64x2.div(f64x2.mul(gm, rs), batch);
  return f64x2.mul(scale, f64x2.sub(f64x2.sub(f64x2.mul(batch, g), db), f64x2.mul(h, dg)));
}

@inline function input4(
  dY: usize, xhat: usize, gamma: usize, rstd: usize, dGamma: usize, dBeta: usize, dX: usize, bt: v128, e: usize, o: usize, k: i32,
): void {
  const g = ld(dY + e, k);
  const h = ld(xhat + e, k);
  const gm = ld(gamma + o, k);
  const rs = ld(rstd + o, k);
  const dg = ld(dGamma + o, k);
  const db = ld(dBeta + o, k);
  const lo = inputGrad(lo64(g), lo64(h), lo64(gm), lo64(rs), lo64(dg), lo64(db), bt);
  const hi = inputGrad(hi64(g), hi64(h), hi64(gm), hi64(rs), hi64(dg), hi64(db), bt);
  st(dX + e, join32(lo, hi), k);
}

export function bn_backward_input(
  dY: usize, xhat: usize, gamma: usize, rstd: usize, dGamma: usize, dBeta: usize, dX: usize, rows: i32, width: i32, batch: i32,
): void {
  const bt = d2(<f64>batch);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * (<usize>width << 2);
    let f = 0;
    for (; f + 4 <= width; f += 4) input4(dY, xhat, gamma, rstd, dGamma, dBeta, dX, bt, row + (<usize>f << 2), <usize>f << 2, 4);
    if (f < width) input4(dY, xhat, gamma, rstd, dGamma, dBeta, dX, bt, row + (<usize>f << 2), <usize>f << 2, width - f);
  }
}
