/**
 * The three products of a linear layer, built from the micro-kernels in gemm-dot.ts (forward) and
 * gemm-kernels.ts (backward), with packing from gemm-pack.ts:
 *   linear_forward         y = x * w^T + b        four-lane dot order over inDim
 *   (linear_forward_features: the same for a range of output features, in the whole y)
 *   linear_backward_input  dX (+)= dY * w         sequential order over outDim
 *   linear_backward_weight dW = dY^T * x, db      sequential order over rows
 * Every output element goes through the same per-element steps wherever it sits (interior tile,
 * edge tile, scalar fallback), so results do not depend on how callers split rows or features.
 *
 * Per-instance state: the scratch region (set_scratch) for packed operands and zero-padded edge
 * panels. Each thread instantiates the module on the shared memory with its own scratch; wasm
 * globals are per instance, so threads never share these variables. Nothing here allocates.
 * Blocking: the forward product sweeps column blocks of w that fit L2; the backward products
 * sweep row blocks of A (packed) against contiguous 8-column strips of B.
 */
import { dot1x1, dot1x4, dot4x1, dot4x2 } from './gemm-dot';
import { op1x1, op4x8adj, op4x8str } from './gemm-kernels';
import { packCols, packRows, packStrip, packTiles, storeTile } from './gemm-pack';

let scratchPtr: usize = 0;
let scratchBytes: usize = 0;

/** This instance's private scratch region (64-byte aligned, at least 4 KiB). */
export function set_scratch(ptr: usize, bytes: usize): void {
  scratchPtr = ptr;
  scratchBytes = bytes;
}

/** Bytes of data a blocked operand should keep in L2 (Zen 5: 1 MiB per core, leave room). */
const L2_BLOCK: usize = 256 * 1024;
/** Bytes of the 4x8 result tile at the start of scratch. */
const TILE: usize = 128;

export function linear_forward(x: usize, w: usize, b: usize, y: usize, rows: i32, inDim: i32, outDim: i32): void {
  linear_forward_features(x, w, b, y, rows, inDim, outDim, 0, outDim);
}

/** y[r, o] = x[r, :] w[o, :] + b[o] for o in [o0, o1) and every row; y's rows are outDim long. */
export function linear_forward_features(x: usize, w: usize, b: usize, y: usize, rows: i32, inDim: i32, outDim: i32, o0: i32, o1: i32): void {
  const k4 = inDim & ~3;
  const ldx = <usize>inDim << 2;
  const ldy = <usize>outDim << 2;
  // Column blocks of w (nb rows of w) that stay in L2 while every row quad sweeps them.
  let nb = <i32>(L2_BLOCK / (ldx + 4)) & ~1;
  if (nb < 2) nb = 2;
  const r4 = rows & ~3;
  for (let j0 = o0; j0 < o1; j0 += nb) {
    const j1 = min(o1, j0 + nb);
    const j2 = j0 + ((j1 - j0) & ~1);
    for (let r = 0; r < r4; r += 4) {
      const x0 = x + <usize>r * ldx;
      const y0 = y + <usize>r * ldy;
      for (let j = j0; j < j2; j += 2) {
        const o = <usize>j << 2;
        dot4x2(x0, ldx, w + <usize>j * ldx, ldx, k4, inDim, b + o, y0 + o, ldy);
      }
      if (j2 < j1) dot4x1(x0, ldx, w + <usize>j2 * ldx, k4, inDim, b + (<usize>j2 << 2), y0 + (<usize>j2 << 2), ldy);
    }
    // The last rows % 4 rows: four columns at a time, then one by one.
    for (let r = r4; r < rows; r++) {
      const x0 = x + <usize>r * ldx;
      const y0 = y + <usize>r * ldy;
      let j = j0;
      for (; j + 4 <= j1; j += 4) dot1x4(x0, w + <usize>j * ldx, ldx, k4, inDim, b + (<usize>j << 2), y0 + (<usize>j << 2));
      for (; j < j1; j++) store<f32>(y0 + (<usize>j << 2), dot1x1(x0, w + <usize>j * ldx, k4, inDim, load<f32>(b + (<usize>j << 2))));
    }
  }
}

/** dX(rows, in) (+)= dY(rows, out) * w(out, in). */
export function linear_backward_input(dY: usize, w: usize, dX: usize, rows: i32, inDim: i32, outDim: i32, accumulate: bool): void {
  seqGemm(dY, <usize>outDim << 2, 4, w, <usize>inDim << 2, rows, inDim, outDim, dX, <usize>inDim << 2, accumulate);
}

/** dW[o, :] = sum_r dY[r, o] x[r, :] and db[o] = sum_r dY[r, o] for o in [o0, o1). */
export function linear_backward_weight(dY: usize, x: usize, dW: usize, db: usize, rows: i32, inDim: i32, outDim: i32, o0: i32, o1: i32): void {
  const ldy = <usize>outDim << 2;
  const ldx = <usize>inDim << 2;
  seqGemm(dY + (<usize>o0 << 2), 4, ldy, x, ldx, o1 - o0, inDim, rows, dW + <usize>o0 * ldx, ldx, false);
  biasGrad(dY, db, rows, ldy, o0, o1);
}

/** db[o] = sum_r dY[r, o] in ascending r from +0; four features per f32x4, the rest one by one. */
function biasGrad(dY: usize, db: usize, rows: i32, ldy: usize, o0: i32, o1: i32): void {
  let o = o0;
  for (; o + 4 <= o1; o += 4) {
    let s = f32x4.splat(0);
    let p = dY + (<usize>o << 2);
    for (let r = 0; r < rows; r++) {
      s = f32x4.add(s, v128.load(p));
      p += ldy;
    }
    v128.store(db + (<usize>o << 2), s);
  }
  for (; o < o1; o++) {
    let s: f32 = 0;
    let p = dY + (<usize>o << 2);
    for (let r = 0; r < rows; r++) {
      s += load<f32>(p);
      p += ldy;
    }
    store<f32>(db + (<usize>o << 2), s);
  }
}

/**
 * C(m, n) (+)= A(m, kn) * B(kn, n) in the sequential order. A(i, k) at a + i*ars + k*aks where
 * either ars == 4 (rows adjacent) or aks == 4 (k contiguous); B(k, j) at b + k*ldb + 4j;
 * C(i, j) at c + i*ldc + 4j. addC adds the old C after the sum.
 */
function seqGemm(a: usize, ars: usize, aks: usize, b: usize, ldb: usize, m: i32, n: i32, kn: i32, c: usize, ldc: usize, addC: bool): void {
  const adj = ars == 4;
  const m4 = m & ~3;
  const n8 = n & ~7;
  // Row blocks whose A rows stay in L2 while the 8-column strips of B sweep past them.
  let mb = <i32>(L2_BLOCK / (<usize>max(kn, 1) << 2)) & ~3;
  if (mb < 4) mb = 4;
  // Scratch: [tile][A edge panel kn*16][B strip kn*32][packed A block mb*kn*4]. A strip of B is
  // made contiguous when the block has enough row tiles to reuse it; the A block is packed when it
  // fits. Without scratch both are read in place (same bits).
  const strip = scratchPtr + TILE + (<usize>kn << 4);
  const packed = strip + (<usize>kn << 5);
  const end = scratchPtr + scratchBytes;
  const packB = packed <= end;
  const packA = packed + <usize>mb * (<usize>kn << 2) <= end;
  const tileBytes = <usize>kn << 4;
  for (let i0 = 0; i0 < m4; i0 += mb) {
    const i1 = min(m4, i0 + mb);
    if (packA) packTiles(a + <usize>i0 * ars, ars, aks, (i1 - i0) >> 2, kn, packed);
    const stripThis = packB && i1 - i0 >= 64;
    for (let j = 0; j < n8; j += 8) {
      let bj = b + (<usize>j << 2);
      let lb = ldb;
      if (stripThis) {
        packStrip(bj, ldb, kn, strip);
        bj = strip;
        lb = 32;
      }
      for (let i = i0; i < i1; i += 4) {
        const ci = c + <usize>i * ldc + (<usize>j << 2);
        if (packA) op4x8adj(packed + <usize>((i - i0) >> 2) * tileBytes, 16, bj, lb, kn, ci, ldc, addC);
        else if (adj) op4x8adj(a + <usize>i * ars, aks, bj, lb, kn, ci, ldc, addC);
        else op4x8str(a + <usize>i * ars, ars, bj, lb, kn, ci, ldc, addC);
      }
    }
  }
  if (m4 < m || n8 < n) seqEdges(a, ars, aks, b, ldb, m, n, kn, c, ldc, addC);
}

/**
 * The rows m & ~3.. and columns n & ~7.. of seqGemm. Zero-padded panels in scratch let the 4x8
 * kernel compute them (padding lanes are independent of real lanes and are never stored); when the
 * panels do not fit, op1x1 computes the same bits one element at a time.
 */
function seqEdges(a: usize, ars: usize, aks: usize, b: usize, ldb: usize, m: i32, n: i32, kn: i32, c: usize, ldc: usize, addC: bool): void {
  const m4 = m & ~3;
  const n8 = n & ~7;
  const tile = scratchPtr;
  const pa = tile + TILE;
  const pb = pa + (<usize>kn << 4);
  if (pb + (<usize>kn << 5) > scratchPtr + scratchBytes) {
    for (let i = 0; i < m; i++) {
      for (let j = i < m4 ? n8 : 0; j < n; j++) {
        op1x1(a + <usize>i * ars, aks, b + (<usize>j << 2), ldb, kn, c + <usize>i * ldc + (<usize>j << 2), addC);
      }
    }
    return;
  }
  const rEdge = m - m4;
  const cEdge = n - n8;
  if (rEdge > 0) {
    packRows(a + <usize>m4 * ars, ars, aks, rEdge, kn, pa);
    for (let j = 0; j < n8; j += 8) {
      op4x8adj(pa, 16, b + (<usize>j << 2), ldb, kn, tile, 32, false);
      storeTile(tile, c + <usize>m4 * ldc + (<usize>j << 2), ldc, rEdge, 8, addC);
    }
  }
  if (cEdge > 0) {
    packCols(b + (<usize>n8 << 2), ldb, cEdge, kn, pb);
    for (let i = 0; i < m4; i += 4) {
      const ai = a + <usize>i * ars;
      if (ars == 4) op4x8adj(ai, aks, pb, 32, kn, tile, 32, false);
      else op4x8str(ai, ars, pb, 32, kn, tile, 32, false);
      storeTile(tile, c + <usize>i * ldc + (<usize>n8 << 2), ldc, 4, cEdge, addC);
    }
    if (rEdge > 0) {
      op4x8adj(pa, 16, pb, 32, kn, tile, 32, false);
      storeTile(tile, c + <usize>m4 * ldc + (<usize>n8 << 2), ldc, rEdge, cEdge, addC);
    }
  }
}
