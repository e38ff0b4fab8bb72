/**
 * Optimizer updates over a parameter range, PyTorch formulas as in optim/sgd.ts, optim/adam.ts,
 * optim/rmsprop.ts and optim/adagrad.ts: SGD (torch 1.13: coupled weight decay, momentum with
 * dampening, Nesterov), Adam/AdamW, RMSprop (centered, momentum) and Adagrad. Four parameters per
 * step as two f64x2 running the reference's float64 expressions in its order, rounding to f32
 * exactly where the reference stores (buf, m, v, sq, ga, sum, and p after AdamW's decay), so
 * results equal the naive kernels bit for bit. The gradient arena is only read. Flags are
 * loop-invariant. The last n % 4 parameters go through zero-filled partial vectors.
 * Stateless; any thread may call on a disjoint range.
 */
import { floatArg } from './floats';
import { d2, hi64, join32, ld, lo64, sel, st } from './lanes';

/** s = g * scale clamped to [-c, c] like the reference (NaN passes through; c may be +Infinity). */
@inline function clip(g: v128, scale: f64, c: f64): v128 {
  const s = f64x2.mul(g, d2(scale));
  return sel(f64x2.gt(s, d2(c)), d2(c), sel(f64x2.lt(s, d2(-c)), d2(-c), s));
}

/** Rounds an f64x2 to f32 and back (the value a Float32Array store and load would give). */
@inline function round32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * One half's gradient as every optimizer here forms it: the gradient clipped (clip), plus the
 * coupled weight decay wd * p unless wd is 0.
 */
@inline function decayedGrad(g: v128, pv: v128, scale: f64, c: f64, weightDecay: f64): v128 {
  let s = clip(g, scale, c);
  if (weightDecay != 0) s = f64x2.add(s, f64x2.mul(d2(weightDecay), pv));
  return s;
}

/** SGD on the k (4, or 1..3 at the end) parameters at byte offset o. */
@inline function sgd4(
  p: usize, grad: usize, buf: usize, o: usize, k: i32,
  lr: f64, momentum: f64, damp: f64, nesterov: bool, weightDecay: f64, first: bool, gradScale: f64, clipValue: f64,
): void {
  const pv = ld(p + o, k);
  const gv = ld(grad + o, k);
  let gl = decayedGrad(lo64(gv), lo64(pv), gradScale, clipValue, weightDecay);
  let gh = decayedGrad(hi64(gv), hi64(pv), gradScale, clipValue, weightDecay);
  if (momentum != 0) {
    let bl = gl;
    let bh = gh;
    if (!first) {
      const bv = ld(buf + o, k);
      bl = f64x2.add(f64x2.mul(d2(momentum), lo64(bv)), f64x2.mul(d2(damp), gl));
      bh = f64x2.add(f64x2.mul(d2(momentum), hi64(bv)), f64x2.mul(d2(damp), gh));
    }
    // The reference stores buf in f32 and reads it back.
    const b32 = join32(bl, bh);
    st(buf + o, b32, k);
    bl = lo64(b32);
    bh = hi64(b32);
    if (nesterov) {
      gl = f64x2.add(gl, f64x2.mul(d2(momentum), bl));
      gh = f64x2.add(gh, f64x2.mul(d2(momentum), bh));
    } else {
      gl = bl;
      gh = bh;
    }
  }
  st(p + o, join32(f64x2.sub(lo64(pv), f64x2.mul(d2(lr), gl)), f64x2.sub(hi64(pv), f64x2.mul(d2(lr), gh))), k);
}

export function sgd_step(
  p: usize, grad: usize, buf: usize, n: i32,
  lr: f64, momentum: f64, dampening: f64, nesterov: bool, weightDecay: f64, first: bool, gradScale: f64, clipValue: f64,
): void {
  lr = floatArg(0);
  momentum = floatArg(1);
  dampening = floatArg(2);
  weightDecay = floatArg(3);
  gradScale = floatArg(4);
  clipValue = floatArg(5);
  const damp = 1 - dampening;
  let i = 0;
  for (; i + 4 <= n; i += 4) sgd4(p, grad, buf, <usize>i << 2, 4, lr, momentum, damp, nesterov, weightDecay, first, gradScale, clipValue);
  if (i < n) sgd4(p, grad, buf, <usize>i << 2, n - i, lr, momentum, damp, nesterov, weightDecay, first, gradScale, clipValue);
}

/** beta * old + (1 - beta) * g, or for the second moment beta * old + (1 - beta) * g * g. */
@inline function moment(beta: f64, old: v128, g: v128, square: bool): v128 {
  const t = square ? f64x2.mul(f64x2.mul(d2(1 - beta), g), g) : f64x2.mul(d2(1 - beta), g);
  return f64x2.add(f64x2.mul(d2(beta), old), t);
}

/** Adam on the k (4, or 1..3 at the end) parameters at byte offset o. */
@inline function adam4(
  p: usize, grad: usize, m: usize, v: usize, o: usize, k: i32,
  beta1: f64, beta2: f64, eps: f64, weightDecay: f64, decoupled: bool, stepSize: f64, bc2Sqrt: f64, decay: f64,
  gradScale: f64, clipValue: f64,
): void {
  const pv = ld(p + o, k);
  const gv = ld(grad + o, k);
  let pl = lo64(pv);
  let ph = hi64(pv);
  const coupled = decoupled ? 0 : weightDecay;
  const gl = decayedGrad(lo64(gv), pl, gradScale, clipValue, coupled);
  const gh = decayedGrad(hi64(gv), ph, gradScale, clipValue, coupled);
  if (decoupled) {
    // The reference stores p * decay in f32 before the update.
    pl = round32(f64x2.mul(pl, d2(decay)));
    ph = round32(f64x2.mul(ph, d2(decay)));
  }
  const mv = ld(m + o, k);
  const vv = ld(v + o, k);
  const m32 = join32(moment(beta1, lo64(mv), gl, false), moment(beta1, hi64(mv), gh, false));
  const v32 = join32(moment(beta2, lo64(vv), gl, true), moment(beta2, hi64(vv), gh, true));
  st(m + o, m32, k);
  st(v + o, v32, k);
  const dl = f64x2.add(f64x2.div(f64x2.sqrt(lo64(v32)), d2(bc2Sqrt)), d2(eps));
  const dh = f64x2.add(f64x2.div(f64x2.sqrt(hi64(v32)), d2(bc2Sqrt)), d2(eps));
  const nl = f64x2.sub(pl, f64x2.div(f64x2.mul(d2(stepSize), lo64(m32)), dl));
  const nh = f64x2.sub(ph, f64x2.div(f64x2.mul(d2(stepSize), hi64(m32)), dh));
  st(p + o, join32(nl, nh), k);
}

/**
 * stepSize = lr / (1 - beta1^step), bc2Sqrt = sqrt(1 - beta2^step) and decay = 1 - lr * wd are
 * computed by the caller with the reference's expressions.
 */
export function adam_step(
  p: usize, grad: usize, m: usize, v: usize, n: i32,
  beta1: f64, beta2: f64, eps: f64, weightDecay: f64, decoupled: bool, stepSize: f64, bc2Sqrt: f64, decay: f64,
  gradScale: f64, clipValue: f64,
): void {
  beta1 = floatArg(0);
  beta2 = floatArg(1);
  eps = floatArg(2);
  weightDecay = floatArg(3);
  stepSize = floatArg(4);
  bc2Sqrt = floatArg(5);
  decay = floatArg(6);
  gradScale = floatArg(7);
  clipValue = floatArg(8);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    adam4(p, grad, m, v, <usize>i << 2, 4, beta1, beta2, eps, weightDecay, decoupled, stepSize, bc2Sqrt, decay, gradScale, clipValue);
  }
  if (i < n) adam4(p, grad, m, v, <usize>i << 2, n - i, beta1, beta2, eps, weightDecay, decoupled, stepSize, bc2Sqrt, decay, gradScale, clipValue);
}

/** RMSprop on the k (4, or 1..3 at the end) parameters at byte offset o. */
@inline function rms4(
  p: usize, grad: usize, sq: usize, ga: usize, buf: usize, o: usize, k: i32,
  lr: f64, alpha: f64, eps: f64, weightDecay: f64, momentum: f64, centered: bool, gradScale: f64, clipValue: f64,
): void {
  const pv = ld(p + o, k);
  const gv = ld(grad + o, k);
  const gl = decayedGrad(lo64(gv), lo64(pv), gradScale, clipValue, weightDecay);
  const gh = decayedGrad(hi64(gv), hi64(pv), gradScale, clipValue, weightDecay);
  const sv = ld(sq + o, k);
  const s32 = join32(moment(alpha, lo64(sv), gl, true), moment(alpha, hi64(sv), gh, true));
  st(sq + o, s32, k);
  let al = lo64(s32);
  let ah = hi64(s32);
  if (centered) {
    const av = ld(ga + o, k);
    const a32 = join32(moment(alpha, lo64(av), gl, false), moment(alpha, hi64(av), gh, false));
    st(ga + o, a32, k);
    const gal = lo64(a32);
    const gah = hi64(a32);
    al = f64x2.sub(al, f64x2.mul(gal, gal));
    ah = f64x2.sub(ah, f64x2.mul(gah, gah));
  }
  al = f64x2.add(f64x2.sqrt(al), d2(eps));
  ah = f64x2.add(f64x2.sqrt(ah), d2(eps));
  if (momentum > 0) {
    const bv = ld(buf + o, k);
    const b32 = join32(
      f64x2.add(f64x2.mul(d2(momentum), lo64(bv)), f64x2.div(gl, al)),
      f64x2.add(f64x2.mul(d2(momentum), hi64(bv)), f64x2.div(gh, ah)),
    );
    st(buf + o, b32, k);
    st(p + o, join32(f64x2.sub(lo64(pv), f64x2.mul(d2(lr), lo64(b32))), f64x2.sub(hi64(pv), f64x2.mul(d2(lr), hi64(b32)))), k);
  } else {
    st(p + o, join32(f64x2.sub(lo64(pv), f64x2.mul(d2(lr), f64x2.div(gl, al))), f64x2.sub(hi64(pv), f64x2.mul(d2(lr), f64x2.div(gh, ah)))), k);
  }
}

export function rmsprop_step(
  p: usize, grad: usize, sq: usize, ga: usize, buf: usize, n: i32,
  lr: f64, alpha: f64, eps: f64, weightDecay: f64, momentum: f64, centered: bool, gradScale: f64, clipValue: f64,
): void {
  lr = floatArg(0);
  alpha = floatArg(1);
  eps = floatArg(2);
  weightDecay = floatArg(3);
  momentum = floatArg(4);
  gradScale = floatArg(5);
  clipValue = floatArg(6);
  let i = 0;
  for (; i + 4 <= n; i += 4) rms4(p, grad, sq, ga, buf, <usize>i << 2, 4, lr, alpha, eps, weightDecay, momentum, centered, gradScale, clipValue);
  if (i < n) rms4(p, grad, sq, ga, buf, <usize>i << 2, n - i, lr, alpha, eps, weightDecay, momentum, centered, gradScale, clipValue);
}

/** Adagrad on the k (4, or 1..3 at the end) parameters at byte offset o. */
@inline function adagrad4(
  p: usize, grad: usize, sum: usize, o: usize, k: i32, clr: f64, eps: f64, weightDecay: f64, gradScale: f64, clipValue: f64,
): void {
  const pv = ld(p + o, k);
  const gv = ld(grad + o, k);
  const gl = decayedGrad(lo64(gv), lo64(pv), gradScale, clipValue, weightDecay);
  const gh = decayedGrad(hi64(gv), hi64(pv), gradScale, clipValue, weightDecay);
  const sv = ld(sum + o, k);
  const s32 = join32(f64x2.add(lo64(sv), f64x2.mul(gl, gl)), f64x2.add(hi64(sv), f64x2.mul(gh, gh)));
  st(sum + o, s32, k);
  const dl = f64x2.add(f64x2.sqrt(lo64(s32)), d2(eps));
  const dh = f64x2.add(f64x2.sqrt(hi64(s32)), d2(eps));
  st(p + o, join32(f64x2.sub(lo64(pv), f64x2.mul(d2(clr), f64x2.div(gl, dl))), f64x2.sub(hi64(pv), f64x2.mul(d2(clr), f64x2.div(gh, dh)))), k);
}

/** clr = lr / (1 + (step - 1) * lrDecay) is computed by the caller (setAdagradStep). */
export function adagrad_step(p: usize, grad: usize, sum: usize, n: i32, clr: f64, eps: f64, weightDecay: f64, gradScale: f64, clipValue: f64): void {
  clr = floatArg(0);
  eps = floatArg(1);
  weightDecay = floatArg(2);
  gradScale = floatArg(3);
  clipValue = floatArg(4);
  let i = 0;
  for (; i + 4 <= n; i += 4) adagrad4(p, grad, sum, <usize>i << 2, 4, clr, eps, weightDecay, gradScale, clipValue);
  if (i < n) adagrad4(p, grad, sum, <usize>i << 2, n - i, clr, eps, weightDecay, gradScale, clipValue);
}
