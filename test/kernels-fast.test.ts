/**
 * The fast kernel sets (`wasm` in both builds, plain and relaxed SIMD, and `native` where its addon
 * is built) against the naive
 * reference: every Kernels method on awkward shapes (1, 3, 17, 255, 513, 784), zeros, large
 * magnitudes and NaN; partition invariance (whole vs uneven splits of rows/features, compared bit
 * for bit); determinism; view alignment; and two instances on one shared memory driven from two
 * worker_threads at once. Needs the generated wasm module (`npm run build:wasm`) and the addon
 * (`npm run build:native`; in CI it must be there, elsewhere the native cases skip without it).
 *
 * Tolerances: GEMMs |fast - naive| <= 1e-5 * sum_k |a_k b_k| + 1e-30 per element (f32 vs f64
 * accumulation); batch norm, optimizers, mul/add/penalty and the non-transcendental activation
 * paths bit-identical to naive; wasm's transcendental activations within ACT_ULPS ulp of a float64
 * reference (16 subnormal steps absolute for subnormal results; the test prints the measured
 * maxima); native's within 1 ulp of the naive kernels (the same double formulas, with the C
 * library's exp/expm1/log1p/tanh instead of JavaScript's); sumSquares within 1e-12 relative (a
 * different f64 summation order).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../src/engine/config/types.js';
import { naiveKernels as naive } from '../src/engine/kernels/naive.js';
import { createNativeKernels, nativeSupported } from '../src/engine/kernels/native/kernels.js';
import type { Kernels } from '../src/engine/kernels/types.js';
import { createWasmKernels, FLOAT_BLOCK_BYTES, wasmRelaxedSupported, wasmSimdSupported } from '../src/engine/kernels/wasm/index.js';
import { createRunMemory, KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../src/engine/memory/wasm-memory.js';
import { setAdamStep } from '../src/engine/optim/adam.js';
import { activationRef, isSame, rng, runTwoThreads, ulpDiff } from './helpers/wasm-kernels.js';

const MEMORY_BYTES = 96 << 20;
const memory = createRunMemory(MEMORY_BYTES, true);
const wasm: Kernels = createWasmKernels(memory, RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES, 'simd128');
// Every set uses scratch region 0; this thread never runs two at the same time.
const FAST: [string, Kernels][] = [['wasm (simd128)', wasm]];
if (wasmRelaxedSupported())
  FAST.push(['wasm (relaxed-simd)', createWasmKernels(memory, RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES, 'relaxed-simd')]);
if (nativeSupported()) FAST.push(['native', createNativeKernels(memory, RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES)]);
else if (process.env.CI !== undefined) throw new Error('CI must test the native kernels: the addon is not built (npm run build:native)');
// Scratch region 0 for this thread, 1 and 2 for the workers of the threads test.
const heapStart = RESERVED_LOW_BYTES + 3 * KERNEL_SCRATCH_BYTES;
let top = heapStart;
const rand = rng(12345);

/** A view of the run memory (reset() reuses the space), `shift` bytes past a 64-byte boundary. */
function alloc(n: number, shift = 0): Float32Array {
  const start = Math.ceil(top / 64) * 64 + shift;
  top = start + n * 4;
  if (top > MEMORY_BYTES) throw new Error('test memory exhausted');
  return new Float32Array(memory.buffer, start, n);
}
function fill(a: Float32Array, scale = 1): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = (rand() * 2 - 1) * scale;
  return a;
}
const randView = (n: number, scale = 1, shift = 0) => fill(alloc(n, shift), scale);
const copy = (a: Float32Array) => Float32Array.from(a);
/** A copy of `a` inside the run memory. */
function inMemory(a: Float32Array, shift = 0): Float32Array {
  const v = alloc(a.length, shift);
  v.set(a);
  return v;
}
function reset(): void {
  top = heapStart;
}

/** sum_k |a(i,k) b(k,j)| for the GEMM tolerance, via the naive kernels on absolute values. */
const abs = (a: Float32Array) => a.map(Math.abs);
function expectGemmClose(got: Float32Array, want: Float32Array, mag: Float32Array): void {
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) {
      if (!Number.isNaN(got[i])) expect.fail(`element ${i}: want NaN, got ${got[i]}`);
    } else if (!(Math.abs(got[i] - want[i]) <= 1e-5 * mag[i] + 1e-30)) {
      expect.fail(`element ${i}: ${got[i]} vs ${want[i]} (magnitude ${mag[i]})`);
    }
  }
}
function expectBitsEqual(got: Float32Array, want: Float32Array, what = ''): void {
  for (let i = 0; i < want.length; i++) {
    if (!isSame(got[i], want[i])) expect.fail(`${what} element ${i}: ${got[i]} vs ${want[i]}`);
  }
}

const GEMM_SHAPES: [number, number, number][] = [
  [0, 7, 3],
  [2, 0, 5],
  [1, 1, 1],
  [1, 3, 10],
  [3, 17, 3],
  [4, 8, 8],
  [7, 9, 13],
  [17, 255, 17],
  [5, 513, 10],
  [17, 784, 3],
  [2, 513, 513],
  [64, 10, 255],
  [33, 3, 784],
  [128, 784, 512],
];

describe('wasm kernels: support', () => {
  it('detects SIMD + threads and rejects foreign views', () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(wasm.name).toBe('wasm');
    expect(() => wasm.mul(new Float32Array(4), new Float32Array(4), new Float32Array(4), 4)).toThrow(/not a view/);
    reset();
    const a = alloc(3);
    expect(() => wasm.mul(a, a, a, 4)).toThrow(/needs 4/);
    expect(() => createWasmKernels(createRunMemory(4 << 20, false), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES)).toThrow(/must be shared/);
    expect(() => createWasmKernels(memory, RESERVED_LOW_BYTES + 4, KERNEL_SCRATCH_BYTES)).toThrow(/scratch/);
  });
});

describe.each(FAST)('%s kernels: linear products', (label, fast) => {
  for (const [rows, inDim, outDim] of GEMM_SHAPES) {
    for (const scale of [1, 1e17]) {
      it(`${rows}x${inDim}->${outDim}, scale ${scale}`, () => {
        reset();
        const x = randView(rows * inDim, scale, 4);
        const w = randView(outDim * inDim, scale);
        const b = randView(outDim);
        const dY = randView(rows * outDim, scale, 8);
        // forward
        const y = alloc(rows * outDim);
        fast.linearForward(x, w, b, y, rows, inDim, outDim);
        const yRef = new Float32Array(rows * outDim);
        naive.linearForward(x, w, b, yRef, rows, inDim, outDim);
        const yMag = new Float32Array(rows * outDim);
        naive.linearForward(abs(x), abs(w), abs(b), yMag, rows, inDim, outDim);
        expectGemmClose(y, yRef, yMag);
        // forward over a feature sub-range of the whole y; the other columns stay untouched
        const f0 = outDim > 2 ? 1 : 0;
        const f1 = outDim > 2 ? outDim - 1 : outDim;
        const yf = alloc(rows * outDim).fill(7);
        fast.linearForwardFeatures(x, w, b, yf, rows, inDim, outDim, f0, f1);
        const yfRef = new Float32Array(rows * outDim).fill(7);
        naive.linearForwardFeatures(x, w, b, yfRef, rows, inDim, outDim, f0, f1);
        expectGemmClose(
          yf,
          yfRef,
          yMag.map((v, i) => (i % outDim >= f0 && i % outDim < f1 ? v : 0)),
        );
        // input gradient, overwrite and accumulate
        const dX = alloc(rows * inDim);
        fast.linearBackwardInput(dY, w, dX, rows, inDim, outDim, false);
        const dXRef = new Float32Array(rows * inDim);
        naive.linearBackwardInput(dY, w, dXRef, rows, inDim, outDim, false);
        const dXMag = new Float32Array(rows * inDim);
        naive.linearBackwardInput(abs(dY), abs(w), dXMag, rows, inDim, outDim, false);
        expectGemmClose(dX, dXRef, dXMag);
        const old = fill(alloc(rows * inDim));
        const acc = copy(old);
        fast.linearBackwardInput(dY, w, old, rows, inDim, outDim, true);
        naive.linearBackwardInput(dY, w, acc, rows, inDim, outDim, true);
        expectGemmClose(
          old,
          acc,
          dXMag.map((v, i) => v + Math.abs(acc[i])),
        );
        // weight gradient over a feature sub-range; the rest stays untouched
        const o0 = outDim > 2 ? 1 : 0;
        const o1 = outDim > 2 ? outDim - 1 : outDim;
        const dW = alloc(outDim * inDim).fill(7);
        const db = alloc(outDim).fill(7);
        fast.linearBackwardWeight(dY, x, dW, db, rows, inDim, outDim, o0, o1);
        const dWRef = new Float32Array(outDim * inDim).fill(7);
        const dbRef = new Float32Array(outDim).fill(7);
        naive.linearBackwardWeight(dY, x, dWRef, dbRef, rows, inDim, outDim, o0, o1);
        const dWMag = new Float32Array(outDim * inDim).fill(7);
        const dbMag = new Float32Array(outDim).fill(7);
        naive.linearBackwardWeight(abs(dY), abs(x), dWMag, dbMag, rows, inDim, outDim, o0, o1);
        expectGemmClose(dW, dWRef, dWMag);
        expectGemmClose(db, dbRef, dbMag);
      });
    }
  }

  it('zeros give exact zeros (plus bias), NaN stays in its row/column', () => {
    reset();
    const [rows, inDim, outDim] = [9, 19, 13];
    const x = alloc(rows * inDim).fill(0);
    const w = randView(outDim * inDim);
    const b = randView(outDim);
    const y = alloc(rows * outDim);
    fast.linearForward(x, w, b, y, rows, inDim, outDim);
    for (let r = 0; r < rows; r++) expectBitsEqual(y.subarray(r * outDim, (r + 1) * outDim), b);
    fill(x);
    x[5 * inDim + 11] = NaN;
    fast.linearForward(x, w, b, y, rows, inDim, outDim);
    for (let i = 0; i < y.length; i++) expect(Number.isNaN(y[i])).toBe(Math.floor(i / outDim) === 5);
    const dY = randView(rows * outDim);
    const dW = alloc(outDim * inDim);
    const db = alloc(outDim);
    fast.linearBackwardWeight(dY, x, dW, db, rows, inDim, outDim, 0, outDim);
    for (let i = 0; i < dW.length; i++) expect(Number.isNaN(dW[i])).toBe(i % inDim === 11);
    expect(db.every((v) => Number.isFinite(v))).toBe(true);
    dY[2 * outDim + 4] = NaN;
    const dX = alloc(rows * inDim);
    fast.linearBackwardInput(dY, w, dX, rows, inDim, outDim, false);
    for (let i = 0; i < dX.length; i++) expect(Number.isNaN(dX[i])).toBe(Math.floor(i / inDim) === 2);
  });

  it('edge tiles give the same bits through scratch panels and through the scalar fallback (tiny scratch)', () => {
    reset();
    // 4 KiB of scratch fits edge panels only up to a reduction length of 82; 100 and 131 fall back.
    const tiny =
      fast.name === 'native'
        ? createNativeKernels(memory, RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES, 4096)
        : createWasmKernels(
            memory,
            RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES,
            FLOAT_BLOCK_BYTES + 4096, // the float block comes first
            label.includes('relaxed') ? 'relaxed-simd' : 'simd128',
          );
    for (const [rows, inDim, outDim] of [
      [7, 13, 100],
      [131, 9, 6],
      [6, 131, 11],
    ]) {
      const x = randView(rows * inDim);
      const w = randView(outDim * inDim);
      const dY = randView(rows * outDim);
      const [dX1, dX2] = [alloc(rows * inDim), alloc(rows * inDim)];
      fast.linearBackwardInput(dY, w, dX1, rows, inDim, outDim, false);
      tiny.linearBackwardInput(dY, w, dX2, rows, inDim, outDim, false);
      expectBitsEqual(dX2, dX1, 'dX fallback');
      const [dW1, dW2, db1, db2] = [alloc(outDim * inDim), alloc(outDim * inDim), alloc(outDim), alloc(outDim)];
      fast.linearBackwardWeight(dY, x, dW1, db1, rows, inDim, outDim, 0, outDim);
      tiny.linearBackwardWeight(dY, x, dW2, db2, rows, inDim, outDim, 0, outDim);
      expectBitsEqual(dW2, dW1, 'dW fallback');
    }
  });

  it('partition invariance: row and feature splits, shifted views, repeated runs give identical bits', () => {
    for (const [rows, inDim, outDim] of [
      [37, 19, 23],
      [29, 784, 10],
      [13, 3, 255],
      [70, 513, 17],
      // 100 outputs take the forward's row-lane path, blocks of under 65 its output-lane path
      [130, 64, 100],
    ]) {
      reset();
      const x = randView(rows * inDim);
      const w = randView(outDim * inDim);
      const b = randView(outDim);
      const dY = randView(rows * outDim);
      const y = alloc(rows * outDim);
      const dX = fill(alloc(rows * inDim));
      const dXOld = copy(dX);
      const dW = alloc(outDim * inDim);
      const db = alloc(outDim);
      fast.linearForward(x, w, b, y, rows, inDim, outDim);
      fast.linearBackwardInput(dY, w, dX, rows, inDim, outDim, true);
      fast.linearBackwardWeight(dY, x, dW, db, rows, inDim, outDim, 0, outDim);
      const cuts = [0, 1, Math.floor(rows / 3), rows - 2, rows].filter((v, i, a) => i === 0 || v > a[i - 1]);
      const y2 = alloc(rows * outDim);
      const dX2 = alloc(rows * inDim);
      dX2.set(dXOld);
      for (let c = 0; c + 1 < cuts.length; c++) {
        const [r0, r1] = [cuts[c], cuts[c + 1]];
        const n = r1 - r0;
        fast.linearForward(x.subarray(r0 * inDim), w, b, y2.subarray(r0 * outDim), n, inDim, outDim);
        fast.linearBackwardInput(dY.subarray(r0 * outDim), w, dX2.subarray(r0 * inDim), n, inDim, outDim, true);
      }
      expectBitsEqual(y2, y, 'forward rows');
      expectBitsEqual(dX2, dX, 'dX rows');
      const dW2 = alloc(outDim * inDim);
      const db2 = alloc(outDim);
      const oc = [0, 1, Math.floor(outDim / 2) + 1, outDim].filter((v, i, a) => i === 0 || v > a[i - 1]);
      for (let c = 0; c + 1 < oc.length; c++) fast.linearBackwardWeight(dY, x, dW2, db2, rows, inDim, outDim, oc[c], oc[c + 1]);
      expectBitsEqual(dW2, dW, 'dW features');
      expectBitsEqual(db2, db, 'db features');
      // The forward by blocks of output features (a team's first layer), aligned or not.
      for (const fc of [oc, [0, ...[16, 48].filter((v) => v < outDim), outDim]]) {
        const y4 = alloc(rows * outDim).fill(NaN);
        for (let c = 0; c + 1 < fc.length; c++) fast.linearForwardFeatures(x, w, b, y4, rows, inDim, outDim, fc[c], fc[c + 1]);
        expectBitsEqual(y4, y, `forward features ${fc.join(',')}`);
      }
      // The same data at other alignments, and a second run, give the same bits.
      const xs = alloc(rows * inDim, 12);
      xs.set(x);
      const y3 = alloc(rows * outDim, 4);
      fast.linearForward(xs, w, b, y3, rows, inDim, outDim);
      expectBitsEqual(y3, y, 'forward shifted');
      fast.linearForward(x, w, b, y3, rows, inDim, outDim);
      expectBitsEqual(y3, y, 'forward again');
      fast.linearBackwardWeight(dY, xs, dW2, db2, rows, inDim, outDim, 0, outDim);
      expectBitsEqual(dW2, dW, 'dW shifted');
    }
  });
});

describe.each(FAST)('%s kernels: activations', (_label, fast) => {
  const SIZES = [1, 3, 17, 255, 513];
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-40, -1e-40, 20, -20, 20.0001, 88, -88, 89, -104, -120, 1e30, -1e30, 1e-7, -1e-7];
  function inputs(): Float32Array {
    const n = 40001 + 6000 + special.length;
    const v = alloc(n, 4);
    for (let i = 0; i <= 40000; i++) v[i] = -20 + i * 0.001;
    for (let i = 0; i < 6000; i++) v[40001 + i] = (rand() < 0.5 ? -1 : 1) * Math.exp((rand() * 2 - 1) * 20);
    v.set(special, 46001);
    return v;
  }
  const ACT_ULPS = 4;
  const MIN_NORMAL = 2 ** -126;
  /** `ulps` ulp; results in the subnormal range only to 16 subnormal steps (absolute). */
  const withinActTolerance = (got: number, ref: number, ulps: number) =>
    ulpDiff(got, ref) <= ulps || (Math.abs(ref) < MIN_NORMAL && Math.abs(got - ref) <= 16 * 2 ** -149);

  ACTIVATIONS.forEach((name, code) => {
    it(`${name}: forward and backward within tolerance, NaN/inf/zero semantics, split invariance`, () => {
      reset();
      const alpha = name === 'elu' ? 1.3 : 0.01;
      const x = inputs();
      const n = x.length;
      const y = alloc(n);
      fast.activationForward({ code, alpha }, x, y, n);
      const yNaive = alloc(n);
      naive.activationForward({ code, alpha }, x, yNaive, n);
      const g = fill(alloc(n, 8));
      const dx = alloc(n);
      fast.activationBackward({ code, alpha }, x, yNaive, g, dx, n);
      const dxNaive = new Float32Array(n);
      naive.activationBackward({ code, alpha }, x, yNaive, g, dxNaive, n);
      let maxF = 0;
      let maxB = 0;
      // wasm: against float64 references; native: against the naive kernels (the same formulas).
      const ulps = fast.name === 'native' ? 1 : ACT_ULPS;
      for (let i = 0; i < n; i++) {
        const [fRef, dRef] = fast.name === 'native' ? [yNaive[i], dxNaive[i]] : activationRef(name, x[i], yNaive[i], alpha);
        const dWant = fast.name === 'native' ? dRef : g[i] * dRef;
        const uf = ulpDiff(y[i], fRef);
        const ub = ulpDiff(dx[i], dWant);
        if (!withinActTolerance(y[i], fRef, ulps)) expect.fail(`${name}(${x[i]}) = ${y[i]}, want ${fRef} (naive ${yNaive[i]})`);
        if (!withinActTolerance(dx[i], dWant, ulps))
          expect.fail(`${name}'(${x[i]}) * ${g[i]} = ${dx[i]}, want ${dWant} (naive ${dxNaive[i]})`);
        if (Math.abs(fRef) >= MIN_NORMAL) maxF = Math.max(maxF, uf);
        if (Math.abs(dWant) >= MIN_NORMAL) maxB = Math.max(maxB, ub);
      }
      // At +-0, +-Infinity and NaN the results are exactly the reference's (signs of zero included).
      for (let i = 46001; i < n; i++) {
        if (x[i] !== 0 && Number.isFinite(x[i])) continue;
        if (!isSame(y[i], yNaive[i])) expect.fail(`${name}(${x[i]}) = ${y[i]}, naive ${yNaive[i]}`);
        if (!isSame(dx[i], dxNaive[i])) expect.fail(`${name}'(${x[i]}) = ${dx[i]}, naive ${dxNaive[i]}`);
      }
      console.log(`${name}: max ulp (normal results) forward ${maxF.toFixed(2)}, backward ${maxB.toFixed(2)}`);
      // Exact paths: these match the naive kernels bit for bit.
      if (['identity', 'relu', 'leaky_relu'].includes(name)) expectBitsEqual(y, yNaive, name);
      if (['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu'].includes(name)) expectBitsEqual(dx, dxNaive, `${name}'`);
      // Uneven splits (and dInp aliasing dOut) give the same bits as the whole call.
      for (const size of SIZES) {
        const ys = alloc(size);
        fast.activationForward({ code, alpha }, x.subarray(1000, 1000 + size), ys, size);
        expectBitsEqual(ys, y.subarray(1000, 1000 + size), `${name} split ${size}`);
        const gs = alloc(size, 4);
        gs.set(g.subarray(3, 3 + size));
        fast.activationBackward({ code, alpha }, x.subarray(3, 3 + size), yNaive.subarray(3, 3 + size), gs, gs, size);
        expectBitsEqual(gs, dx.subarray(3, 3 + size), `${name}' split ${size}`);
      }
    });
  });
});

describe.each(FAST)('%s kernels: batch norm (bit-identical to naive)', (_label, fast) => {
  for (const [rows, width] of [
    [1, 1],
    [3, 17],
    [17, 3],
    [128, 255],
    [33, 513],
  ]) {
    it(`rows ${rows}, width ${width}, feature and row splits`, () => {
      reset();
      const x = randView(rows * width, 3, 4);
      x[0] = 1e30;
      const f0 = width > 2 ? 1 : 0;
      const f1 = width > 2 ? width - 1 : width;
      const [mean, variance] = [alloc(width).fill(5), alloc(width).fill(5)];
      const [meanR, varR] = [new Float32Array(width).fill(5), new Float32Array(width).fill(5)];
      fast.bnStats(x, mean, variance, rows, width, f0, f1);
      naive.bnStats(x, meanR, varR, rows, width, f0, f1);
      expectBitsEqual(mean, meanR, 'mean');
      expectBitsEqual(variance, varR, 'variance');
      fast.bnStats(x, mean, variance, rows, width, 0, width);
      naive.bnStats(x, meanR, varR, rows, width, 0, width);
      const rstd = inMemory(varR.map((v) => 1 / Math.sqrt(v + 1e-5)));
      const meanV = inMemory(meanR);
      const [gamma, beta] = [randView(width), randView(width)];
      const [xhat, y] = [alloc(rows * width), alloc(rows * width)];
      const [xhatR, yR] = [new Float32Array(rows * width), new Float32Array(rows * width)];
      const cut = Math.floor(rows / 2);
      fast.bnApply(x, meanV, rstd, gamma, beta, xhat, y, cut, width);
      fast.bnApply(
        x.subarray(cut * width),
        meanV,
        rstd,
        gamma,
        beta,
        xhat.subarray(cut * width),
        y.subarray(cut * width),
        rows - cut,
        width,
      );
      naive.bnApply(x, meanR, rstd, gamma, beta, xhatR, yR, rows, width);
      expectBitsEqual(xhat, xhatR, 'xhat');
      expectBitsEqual(y, yR, 'y');
      const dY = randView(rows * width, 1, 8);
      dY[rows * width - 1] = NaN;
      const [dG, dB] = [alloc(width), alloc(width)];
      const [dGR, dBR] = [alloc(width), alloc(width)];
      fast.bnBackwardReduce(dY, xhat, dG, dB, rows, width, 0, f0);
      fast.bnBackwardReduce(dY, xhat, dG, dB, rows, width, f0, width);
      naive.bnBackwardReduce(dY, xhatR, dGR, dBR, rows, width, 0, width);
      expectBitsEqual(dG, dGR, 'dGamma');
      expectBitsEqual(dB, dBR, 'dBeta');
      const dX = copy(dY);
      const dXv = alloc(rows * width);
      dXv.set(dY);
      fast.bnBackwardInput(dXv, xhat, gamma, rstd, dGR, dBR, dXv, rows, width, rows + 3);
      naive.bnBackwardInput(dY, xhatR, gamma, rstd, dGR, dBR, dX, rows, width, rows + 3);
      expectBitsEqual(dXv, dX, 'dX');
    });
  }
});

describe.each(FAST)('%s kernels: elementwise and optimizers (bit-identical to naive)', (_label, fast) => {
  const N = 1027;
  function vectors(count: number, shift: number): Float32Array[] {
    return Array.from({ length: count }, (_, i) => {
      const v = randView(N, i === 0 ? 2 : 1, shift);
      v[5] = 0;
      v[6] = -0;
      v[7] = 1e30;
      v[8] = -1e-30;
      return v;
    });
  }

  it('mul, add, addPenaltyGrad, sumSquares', () => {
    reset();
    const [a, b] = vectors(2, 4);
    a[9] = NaN;
    for (const op of ['mul', 'add'] as const) {
      const out = alloc(N);
      fast[op](a, b, out, N);
      const ref = new Float32Array(N);
      naive[op](a, b, ref, N);
      expectBitsEqual(out, ref, op);
      const inPlace = alloc(N, 8);
      inPlace.set(a);
      fast[op](inPlace.subarray(0, 500), b, inPlace.subarray(0, 500), 500);
      fast[op](inPlace.subarray(500), b.subarray(500), inPlace.subarray(500), N - 500);
      expectBitsEqual(inPlace, ref, `${op} split in place`);
    }
    for (const [l1, l2] of [
      [0, 1e-4],
      [1e-3, 0],
      [0.3, 0.7],
    ]) {
      const g = alloc(N);
      g.set(b);
      const gRef = copy(b);
      fast.addPenaltyGrad(a, g, N, { l1, l2 });
      naive.addPenaltyGrad(a, gRef, N, { l1, l2 });
      expectBitsEqual(g, gRef, 'penalty');
    }
    // The sum is written to a double of the run memory (no kernel returns a value).
    const slot = alloc(2);
    const out = new Float64Array(slot.buffer, slot.byteOffset, 1);
    const sumSquares = (k: Kernels, x: Float32Array, n: number): number => {
      k.sumSquares(x, n, out);
      return out[0];
    };
    const s = sumSquares(fast, b, N);
    expect(Math.abs(s - sumSquares(naive, b, N))).toBeLessThanOrEqual(1e-12 * s);
    const shifted = alloc(N, 4);
    shifted.set(b);
    expect(Object.is(sumSquares(fast, shifted, N), s)).toBe(true);
    expect(sumSquares(fast, b, 3)).toBe(sumSquares(naive, b, 3));
    expect(sumSquares(fast, a, N)).toBeNaN();
    b[1000] = Infinity;
    expect(sumSquares(fast, b, N)).toBe(Infinity);
  });

  const base = { lr: 0.05, gradScale: 1, clipValue: Infinity };
  const sgdCases = [
    { ...base, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, first: false },
    { ...base, momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 1e-4, first: true },
    { ...base, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 1e-3, first: false, gradScale: 0.37 },
    { ...base, momentum: 0.5, dampening: 0.5, nesterov: false, weightDecay: 0, first: false, clipValue: 0.01 },
  ];
  sgdCases.forEach((args, i) => {
    it(`sgdStep case ${i}, split into calls`, () => {
      reset();
      const [p, g, buf] = vectors(3, 4 * i);
      g[10] = NaN;
      const [pR, bufR] = [copy(p), copy(buf)];
      fast.sgdStep(p.subarray(0, 301), g, buf, 301, args);
      fast.sgdStep(p.subarray(301), g.subarray(301), buf.subarray(301), N - 301, args);
      naive.sgdStep(pR, g, bufR, N, args);
      expectBitsEqual(p, pR, 'p');
      if (args.momentum !== 0) expectBitsEqual(buf, bufR, 'buf');
    });
  });

  const adamBase = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, gradScale: 1, clipValue: Infinity };
  const adamCases = [
    { ...adamBase, weightDecay: 0, decoupled: false, step: 1 },
    { ...adamBase, weightDecay: 1e-2, decoupled: false, step: 7 },
    { ...adamBase, weightDecay: 1e-2, decoupled: true, step: 3, gradScale: 0.25 },
    { ...adamBase, weightDecay: 0, decoupled: true, step: 100, clipValue: 0.05 },
  ].map(({ step, ...args }) => setAdamStep({ ...args, stepSize: 0, bc2Sqrt: 0, decay: 1 }, step));
  adamCases.forEach((args, i) => {
    it(`adamStep case ${i}, split into calls`, () => {
      reset();
      const [p, g, m, v] = vectors(4, 4 * i);
      v.set(v.map(Math.abs));
      g[11] = NaN;
      const [pR, mR, vR] = [copy(p), copy(m), copy(v)];
      fast.adamStep(p.subarray(0, 514), g, m, v, 514, args);
      fast.adamStep(p.subarray(514), g.subarray(514), m.subarray(514), v.subarray(514), N - 514, args);
      naive.adamStep(pR, g, mR, vR, N, args);
      expectBitsEqual(p, pR, 'p');
      expectBitsEqual(m, mR, 'm');
      expectBitsEqual(v, vR, 'v');
    });
  });

  const rmsBase = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, gradScale: 1, clipValue: Infinity };
  const rmspropCases = [
    rmsBase,
    { ...rmsBase, alpha: 0.9, weightDecay: 1e-2, momentum: 0.9 },
    { ...rmsBase, centered: true, gradScale: 0.25 },
    { ...rmsBase, centered: true, momentum: 0.5, clipValue: 0.05, eps: 1e-3 },
  ];
  rmspropCases.forEach((args, i) => {
    it(`rmspropStep case ${i}, split into calls`, () => {
      reset();
      const [p, g, sq, ga, buf] = vectors(5, 4 * i);
      sq.set(sq.map((x) => x * x + 2));
      g[12] = NaN;
      const [pR, sqR, gaR, bufR] = [copy(p), copy(sq), copy(ga), copy(buf)];
      fast.rmspropStep(p.subarray(0, 411), g, sq, ga, buf, 411, args);
      fast.rmspropStep(p.subarray(411), g.subarray(411), sq.subarray(411), ga.subarray(411), buf.subarray(411), N - 411, args);
      naive.rmspropStep(pR, g, sqR, gaR, bufR, N, args);
      expectBitsEqual(p, pR, 'p');
      expectBitsEqual(sq, sqR, 'sq');
      expectBitsEqual(ga, gaR, 'ga');
      expectBitsEqual(buf, bufR, 'buf');
    });
  });

  // The kernels read clr; lr and lrDecay are what setAdagradStep derives it from.
  const adagradCases = [
    { clr: 0.1, eps: 1e-10, weightDecay: 0, gradScale: 1, clipValue: Infinity },
    { clr: 0.03, eps: 1e-10, weightDecay: 1e-2, gradScale: 0.5, clipValue: Infinity },
    { clr: 0.5, eps: 1e-3, weightDecay: 0, gradScale: 1, clipValue: 0.05 },
  ].map((args) => ({ ...args, lr: args.clr, lrDecay: 0 }));
  adagradCases.forEach((args, i) => {
    it(`adagradStep case ${i}, split into calls`, () => {
      reset();
      const [p, g, sum] = vectors(3, 4 * i);
      sum.set(sum.map(Math.abs));
      g[13] = NaN;
      const [pR, sumR] = [copy(p), copy(sum)];
      fast.adagradStep(p.subarray(0, 222), g, sum, 222, args);
      fast.adagradStep(p.subarray(222), g.subarray(222), sum.subarray(222), N - 222, args);
      naive.adagradStep(pR, g, sumR, N, args);
      expectBitsEqual(p, pR, 'p');
      expectBitsEqual(sum, sumR, 'sum');
    });
  });
});

describe.each(FAST)('%s kernels: threads', (label, fast) => {
  it('two instances on one shared memory, used from two worker_threads at once, match the main thread', async () => {
    reset();
    const results = await runTwoThreads(
      memory,
      heapStart,
      KERNEL_SCRATCH_BYTES,
      fast,
      label.includes('relaxed') ? 'relaxed-simd' : 'simd128',
    );
    expect(results).toEqual([{ mismatches: 0 }, { mismatches: 0 }]);
  });
});
