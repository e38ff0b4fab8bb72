/**
 * Activation kernels, forward and backward, for the twelve codes of ACTIVATIONS (config/types.ts):
 * 0 identity, 1 sigmoid, 2 tanh, 3 relu, 4 leaky_relu, 5 elu, 6 gelu, 7 gelu_tanh, 8 selu,
 * 9 softplus, 10 silu, 11 mish, with the semantics of math/activations.ts (PyTorch conventions, alpha for
 * leaky_relu/elu). Four elements per step; the last n % 4 go through the same lane code with the
 * missing lanes zero-filled and never stored, so every element gets identical math wherever it is.
 *
 * Arithmetic the naive kernels do in float64 with f32 inputs (products with alpha, y*(1-y),
 * 1 - y*y, the final dOut product) is done in f64 lanes here too, so identity, relu, leaky_relu and
 * the sigmoid/tanh derivatives match the naive kernels bit for bit. exp/expm1/log1p for sigmoid,
 * tanh, elu, selu and softplus run in f32 (math.ts; max error 1.7 ulp measured); gelu and gelu_tanh
 * run in f64 (their derivatives cancel; within 0.51 ulp), and so do silu and mish (their
 * derivatives cancel near their minima). mish uses tanh(log1p(e)) = n / (n + 2) with n = e (e + 2)
 * and 1 - tanh^2 = 4 (n + 1) / (n + 2)^2, e = exp(x), free of cancellation; above 20 it takes
 * tanh = 1 and 1 - tanh^2 = 0 like the reference, so +-Infinity give the reference's NaNs. gelu_tanh and softplus use
 * cancellation-free forms (1 + tanh u = 2 sigmoid(2u); max(x, 0) + log1p(exp(-|x|))), so far in the
 * negative tail they are more accurate than the double-precision reference, whose 1 + tanh u
 * cancels. Stateless; any thread may call.
 */
import { floatArg } from './floats';
import { d2, f4, hi64, join32, lo64, loadTail, sel, storeTail } from './lanes';
import { expD, expF32, expm1F32, log1pUnit, normalCdfCentral, tailRatio } from './math';

const SELU_ALPHA: f64 = 1.6732632423543772848170429916717;
const SELU_SCALE: f64 = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const GELU_C: f64 = 0.044715;

/** Lanes with x > 0 (false for NaN and -0). */
@inline function gt0(x: v128): v128 {
  return f32x4.gt(x, f4(0));
}

/** a * b for f32x4 a and f64 scalar b, rounded once. */
@inline function mulScalar64(a: v128, b: f64): v128 {
  return join32(f64x2.mul(lo64(a), d2(b)), f64x2.mul(hi64(a), d2(b)));
}

/** sigmoid(x) in f64 from e = exp(-|x|): (x >= 0 ? 1 : e) / (1 + e), no overflow either way. */
@inline function sigmoid64(x: v128, e: v128): v128 {
  const num = sel(f64x2.ge(x, d2(0)), d2(1), e);
  return f64x2.div(num, f64x2.add(d2(1), e));
}

/** exp(-x^2/2) of one f64x2 (x*x is exact in f64 for an f32 x). */
@inline function gauss(x: v128): v128 {
  return expD(f64x2.mul(f64x2.mul(x, x), d2(-0.5)));
}

/**
 * Phi(x), the normal CDF, of one f64x2: the central series for |x| < 1.5, else from the tail
 * erfc(|x|/sqrt 2) = exp(-x^2/2) tailRatio(x). Each part is computed only if a lane needs it; g is
 * exp(-x^2/2) when the caller has it (haveGauss), else computed here if needed.
 */
@inline function cdf64(x: v128, g: v128, haveGauss: bool): v128 {
  const central = f64x2.lt(f64x2.abs(x), d2(1.5));
  let c = d2(0);
  if (v128.any_true(central)) c = normalCdfCentral(x);
  if (v128.all_true<i64>(central)) return c;
  const half = f64x2.mul(f64x2.mul(haveGauss ? g : gauss(x), tailRatio(x)), d2(0.5));
  return sel(central, c, sel(f64x2.ge(x, d2(0)), f64x2.sub(d2(1), half), half));
}

/** u = sqrt(2/pi) (x + 0.044715 x^3) of one f64x2, in the naive kernel's operation order. */
@inline function geluTanhU(x: v128): v128 {
  const c = f64x2.mul(f64x2.mul(f64x2.mul(d2(GELU_C), x), x), x);
  return f64x2.mul(d2(SQRT_2_OVER_PI), f64x2.add(x, c));
}

@inline function forward(code: i32, a: f64, x: v128): v128 {
  if (code == 1) {
    const e = expF32(f32x4.neg(f32x4.abs(x)));
    return join32(sigmoid64(lo64(x), lo64(e)), sigmoid64(hi64(x), hi64(e)));
  }
  if (code == 2) {
    // tanh|x| = -t / (t + 2) with t = expm1(-2|x|), then the sign of x.
    const t = expm1F32(f32x4.mul(f32x4.abs(x), f4(-2)));
    const tl = lo64(t);
    const th = hi64(t);
    const r = join32(f64x2.div(f64x2.neg(tl), f64x2.add(tl, d2(2))), f64x2.div(f64x2.neg(th), f64x2.add(th, d2(2))));
    return v128.or(f32x4.abs(r), v128.and(x, i32x4.splat(0x80000000)));
  }
  if (code == 3) return v128.and(x, gt0(x));
  if (code == 4) return sel(gt0(x), x, mulScalar64(x, a));
  if (code == 5) return sel(gt0(x), x, mulScalar64(expm1F32(x), a));
  if (code == 6) {
    const xl = lo64(x);
    const xh = hi64(x);
    return join32(f64x2.mul(xl, cdf64(xl, d2(0), false)), f64x2.mul(xh, cdf64(xh, d2(0), false)));
  }
  if (code == 7) {
    // 0.5 x (1 + tanh u) = x sigmoid(2u); sign(u) = sign(x).
    const xl = lo64(x);
    const xh = hi64(x);
    const ul = geluTanhU(xl);
    const uh = geluTanhU(xh);
    const el = expD(f64x2.mul(f64x2.abs(ul), d2(-2)));
    const eh = expD(f64x2.mul(f64x2.abs(uh), d2(-2)));
    return join32(f64x2.mul(xl, sigmoid64(xl, el)), f64x2.mul(xh, sigmoid64(xh, eh)));
  }
  if (code == 8) {
    // SCALE * (x > 0 ? x : ALPHA * expm1(x)), all in f64 like the reference.
    const m = expm1F32(x);
    const xl = lo64(x);
    const xh = hi64(x);
    const vl = sel(f64x2.gt(xl, d2(0)), xl, f64x2.mul(d2(SELU_ALPHA), lo64(m)));
    const vh = sel(f64x2.gt(xh, d2(0)), xh, f64x2.mul(d2(SELU_ALPHA), hi64(m)));
    return join32(f64x2.mul(d2(SELU_SCALE), vl), f64x2.mul(d2(SELU_SCALE), vh));
  }
  if (code == 9) {
    // log1p(exp(x)) = max(x, 0) + log1p(exp(-|x|)); x > 20 gives x as in the reference.
    const l = log1pUnit(expF32(f32x4.neg(f32x4.abs(x))));
    const m = f32x4.pmax(x, f4(0));
    const r = join32(f64x2.add(lo64(m), lo64(l)), f64x2.add(hi64(m), hi64(l)));
    return sel(f32x4.gt(x, f4(20)), x, r);
  }
  if (code == 10) {
    const xl = lo64(x);
    const xh = hi64(x);
    return join32(f64x2.mul(xl, sigmoidOf(xl)), f64x2.mul(xh, sigmoidOf(xh)));
  }
  if (code == 11) {
    const xl = lo64(x);
    const xh = hi64(x);
    return join32(f64x2.mul(xl, mishTanh(xl, mishN(xl))), f64x2.mul(xh, mishTanh(xh, mishN(xh))));
  }
  return x;
}

/** sigmoid(x) of one f64x2, from exp(-|x|). */
@inline function sigmoidOf(x: v128): v128 {
  return sigmoid64(x, expD(f64x2.neg(f64x2.abs(x))));
}

/** n = e (e + 2), e = exp(x), of one f64x2 (x <= 20 where it is used, so no overflow). */
@inline function mishN(x: v128): v128 {
  const e = expD(f64x2.pmin(x, d2(20)));
  return f64x2.mul(e, f64x2.add(e, d2(2)));
}

/** tanh(softplus(x)) = n / (n + 2), and exactly 1 above 20 like the reference. */
@inline function mishTanh(x: v128, n: v128): v128 {
  return sel(f64x2.gt(x, d2(20)), d2(1), f64x2.div(n, f64x2.add(n, d2(2))));
}

/** mish'(x) * g for one f64x2: t + x sigmoid(x) (1 - t^2), 1 - t^2 = 4 (n + 1) / (n + 2)^2 (0 above 20). */
@inline function mishGrad(x: v128, g: v128): v128 {
  const n = mishN(x);
  const q = f64x2.add(n, d2(2));
  const k = sel(f64x2.gt(x, d2(20)), d2(0), f64x2.div(f64x2.mul(d2(4), f64x2.add(n, d2(1))), f64x2.mul(q, q)));
  return times(g, f64x2.add(mishTanh(x, n), f64x2.mul(f64x2.mul(x, sigmoidOf(x)), k)));
}

/** silu'(x) * g for one f64x2: s (1 + x (1 - s)). */
@inline function siluGrad(x: v128, g: v128): v128 {
  const s = sigmoidOf(x);
  return times(g, f64x2.mul(s, f64x2.add(d2(1), f64x2.mul(x, f64x2.sub(d2(1), s)))));
}

/** dOut * f'(x) for one f64x2 half; d is f'(x) in f64. */
@inline function times(g: v128, d: v128): v128 {
  return f64x2.mul(g, d);
}

@inline function backward(code: i32, a: f64, x: v128, y: v128, g: v128): v128 {
  if (code == 1) {
    const yl = lo64(y);
    const yh = hi64(y);
    return join32(times(lo64(g), f64x2.mul(yl, f64x2.sub(d2(1), yl))), times(hi64(g), f64x2.mul(yh, f64x2.sub(d2(1), yh))));
  }
  if (code == 2) {
    const yl = lo64(y);
    const yh = hi64(y);
    return join32(times(lo64(g), f64x2.sub(d2(1), f64x2.mul(yl, yl))), times(hi64(g), f64x2.sub(d2(1), f64x2.mul(yh, yh))));
  }
  if (code == 3) return f32x4.mul(g, v128.and(f4(1), gt0(x)));
  if (code == 4) return sel(gt0(x), g, mulScalar64(g, a));
  if (code == 5) {
    const e = expF32(x);
    const dl = f64x2.mul(d2(a), lo64(e));
    const dh = f64x2.mul(d2(a), hi64(e));
    return sel(gt0(x), g, join32(times(lo64(g), dl), times(hi64(g), dh)));
  }
  if (code == 6) {
    // Phi(x) + x phi(x), phi(x) = exp(-x^2/2) / sqrt(2 pi).
    const xl = lo64(x);
    const xh = hi64(x);
    const pl = gauss(xl);
    const ph = gauss(xh);
    const dl = f64x2.add(cdf64(xl, pl, true), f64x2.mul(f64x2.mul(xl, d2(INV_SQRT_2PI)), pl));
    const dh = f64x2.add(cdf64(xh, ph, true), f64x2.mul(f64x2.mul(xh, d2(INV_SQRT_2PI)), ph));
    return join32(times(lo64(g), dl), times(hi64(g), dh));
  }
  if (code == 7) {
    const xl = lo64(x);
    const xh = hi64(x);
    const ul = geluTanhU(xl);
    const uh = geluTanhU(xh);
    const el = expD(f64x2.mul(f64x2.abs(ul), d2(-2)));
    const eh = expD(f64x2.mul(f64x2.abs(uh), d2(-2)));
    return join32(geluTanhGrad(xl, el, lo64(g)), geluTanhGrad(xh, eh, hi64(g)));
  }
  if (code == 8) {
    const e = expF32(x);
    const k = SELU_SCALE * SELU_ALPHA;
    const dl = f64x2.mul(d2(k), lo64(e));
    const dh = f64x2.mul(d2(k), hi64(e));
    return sel(gt0(x), mulScalar64(g, SELU_SCALE), join32(times(lo64(g), dl), times(hi64(g), dh)));
  }
  if (code == 9) {
    const e = expF32(f32x4.neg(f32x4.abs(x)));
    const r = join32(times(lo64(g), sigmoid64(lo64(x), lo64(e))), times(hi64(g), sigmoid64(hi64(x), hi64(e))));
    return sel(f32x4.gt(x, f4(20)), g, r);
  }
  if (code == 10) return join32(siluGrad(lo64(x), lo64(g)), siluGrad(hi64(x), hi64(g)));
  if (code == 11) return join32(mishGrad(lo64(x), lo64(g)), mishGrad(hi64(x), hi64(g)));
  return g;
}

/**
 * gelu_tanh'(x) * g for one f64x2, given e = exp(-2|u|): 1 + tanh u = 2 sigmoid(2u) and
 * 1 - tanh^2 u = 4 e / (1 + e)^2, so f' = sigmoid(2u) + 2 x e / (1 + e)^2 sqrt(2/pi) (1 + 3c x^2).
 */
@inline function geluTanhGrad(x: v128, e: v128, g: v128): v128 {
  const q = f64x2.add(d2(1), e);
  const s = sigmoid64(x, e);
  const dt = f64x2.div(f64x2.mul(f64x2.mul(d2(2), x), e), f64x2.mul(q, q));
  const poly = f64x2.add(d2(1), f64x2.mul(f64x2.mul(d2(3 * GELU_C), x), x));
  return times(g, f64x2.add(s, f64x2.mul(f64x2.mul(dt, d2(SQRT_2_OVER_PI)), poly)));
}

@inline function runForward(code: i32, a: f64, inp: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, forward(code, a, v128.load(inp + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storeTail(out + o, forward(code, a, loadTail(inp + o, n - i)), n - i);
  }
}

@inline function runBackward(code: i32, a: f64, inp: usize, out: usize, dOut: usize, dInp: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dInp + o, backward(code, a, v128.load(inp + o), v128.load(out + o), v128.load(dOut + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    const k = n - i;
    storeTail(dInp + o, backward(code, a, loadTail(inp + o, k), loadTail(out + o, k), loadTail(dOut + o, k)), k);
  }
}

// One wasm function per activation and direction (the switch picks it), so each loop is
// compiled on its own with its constants in registers.
function f0(a: f64, i: usize, o: usize, n: i32): void { runForward(0, a, i, o, n); }
function f1(a: f64, i: usize, o: usize, n: i32): void { runForward(1, a, i, o, n); }
function f2(a: f64, i: usize, o: usize, n: i32): void { runForward(2, a, i, o, n); }
function f3(a: f64, i: usize, o: usize, n: i32): void { runForward(3, a, i, o, n); }
function f4_(a: f64, i: usize, o: usize, n: i32): void { runForward(4, a, i, o, n); }
function f5(a: f64, i: usize, o: usize, n: i32): void { runForward(5, a, i, o, n); }
function f6(a: f64, i: usize, o: usize, n: i32): void { runForward(6, a, i, o, n); }
function f7(a: f64, i: usize, o: usize, n: i32): void { runForward(7, a, i, o, n); }
function f8(a: f64, i: usize, o: usize, n: i32): void { runForward(8, a, i, o, n); }
function f9(a: f64, i: usize, o: usize, n: i32): void { runForward(9, a, i, o, n); }
function f10(a: f64, i: usize, o: usize, n: i32): void { runForward(10, a, i, o, n); }
function f11(a: f64, i: usize, o: usize, n: i32): void { runForward(11, a, i, o, n); }
function b0(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(0, a, i, o, g, d, n); }
function b1(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(1, a, i, o, g, d, n); }
function b2(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(2, a, i, o, g, d, n); }
function b3(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(3, a, i, o, g, d, n); }
function b4(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(4, a, i, o, g, d, n); }
function b5(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(5, a, i, o, g, d, n); }
function b6(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(6, a, i, o, g, d, n); }
function b7(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(7, a, i, o, g, d, n); }
function b8(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(8, a, i, o, g, d, n); }
function b9(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(9, a, i, o, g, d, n); }
function b10(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(10, a, i, o, g, d, n); }
function b11(a: f64, i: usize, o: usize, g: usize, d: usize, n: i32): void { runBackward(11, a, i, o, g, d, n); }

export function activation_forward(code: i32, alpha: f64, inp: usize, out: usize, n: i32): void {
  alpha = floatArg(0);
  if (code == 1) f1(alpha, inp, out, n);
  else if (code == 2) f2(alpha, inp, out, n);
  else if (code == 3) f3(alpha, inp, out, n);
  else if (code == 4) f4_(alpha, inp, out, n);
  else if (code == 5) f5(alpha, inp, out, n);
  else if (code == 6) f6(alpha, inp, out, n);
  else if (code == 7) f7(alpha, inp, out, n);
  else if (code == 8) f8(alpha, inp, out, n);
  else if (code == 9) f9(alpha, inp, out, n);
  else if (code == 10) f10(alpha, inp, out, n);
  else if (code == 11) f11(alpha, inp, out, n);
  else f0(alpha, inp, out, n);
}

export function activation_backward(code: i32, alpha: f64, inp: usize, out: usize, dOut: usize, dInp: usize, n: i32): void {
  alpha = floatArg(0);
  if (code == 1) b1(alpha, inp, out, dOut, dInp, n);
  else if (code == 2) b2(alpha, inp, out, dOut, dInp, n);
  else if (code == 3) b3(alpha, inp, out, dOut, dInp, n);
  else if (code == 4) b4(alpha, inp, out, dOut, dInp, n);
  else if (code == 5) b5(alpha, inp, out, dOut, dInp, n);
  else if (code == 6) b6(alpha, inp, out, dOut, dInp, n);
  else if (code == 7) b7(alpha, inp, out, dOut, dInp, n);
  else if (code == 8) b8(alpha, inp, out, dOut, dInp, n);
  else if (code == 9) b9(alpha, inp, out, dOut, dInp, n);
  else if (code == 10) b10(alpha, inp, out, dOut, dInp, n);
  else if (code == 11) b11(alpha, inp, out, dOut, dInp, n);
  else b0(alpha, inp, out, dOut, dInp, n);
}
