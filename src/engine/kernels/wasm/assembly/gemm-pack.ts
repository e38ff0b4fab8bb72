/**
 * Packing for the sequential-order GEMM (gemm.ts): copies of operand values into scratch layouts
 * the 4x8 kernel reads with constant offsets, zero padding for edge tiles, and the store of a
 * partial tile. Copies are exact, so packing never changes a result bit. Works on the calling
 * instance's scratch only.
 */

/**
 * Row tiles of A into [tile][k][4] at dst (tile t at dst + t*kn*16) for rows 0..4*tiles-1, where
 * A(i, k) is at a + i*ars + k*aks and either ars == 4 or aks == 4.
 */
export function packTiles(a: usize, ars: usize, aks: usize, tiles: i32, kn: i32, dst: usize): void {
  for (let t = 0; t < tiles; t++) {
    const src = a + <usize>(t << 2) * ars;
    const d = dst + <usize>t * (<usize>kn << 4);
    if (ars == 4) {
      for (let k = 0; k < kn; k++) v128.store(d + (<usize>k << 4), v128.load(src + <usize>k * aks));
      continue;
    }
    // k contiguous: 4x4 transposes, then the last kn % 4 columns one by one.
    const k4 = kn & ~3;
    for (let k = 0; k < k4; k += 4) {
      const p = src + (<usize>k << 2);
      const r0 = v128.load(p);
      const r1 = v128.load(p + ars);
      const r2 = v128.load(p + 2 * ars);
      const r3 = v128.load(p + 3 * ars);
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const q = d + (<usize>k << 4);
      v128.store(q, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
      v128.store(q, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
      v128.store(q, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
      v128.store(q, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
    }
    for (let k = k4; k < kn; k++) {
      const p = src + (<usize>k << 2);
      const q = d + (<usize>k << 4);
      for (let i = 0; i < 4; i++) store<f32>(q + (<usize>i << 2), load<f32>(p + <usize>i * ars));
    }
  }
}

/** dst[k][0..7] = B(k, 0..7): an 8-column strip of B (row stride ldb) made contiguous. */
export function packStrip(b: usize, ldb: usize, kn: i32, dst: usize): void {
  let src = b;
  let d = dst;
  for (let k = 0; k < kn; k++) {
    v128.store(d, v128.load(src));
    v128.store(d, v128.load(src, 16), 16);
    src += ldb;
    d += 32;
  }
}

/** dst[k][0..3] = A(i, k) for i < r, +0 for r <= i < 4. */
export function packRows(a: usize, ars: usize, aks: usize, r: i32, kn: i32, dst: usize): void {
  for (let k = 0; k < kn; k++) {
    const src = a + <usize>k * aks;
    const d = dst + (<usize>k << 4);
    v128.store(d, f32x4.splat(0));
    for (let i = 0; i < r; i++) store<f32>(d + (<usize>i << 2), load<f32>(src + <usize>i * ars));
  }
}

/** dst[k][0..7] = B(k, j) for j < q, +0 for q <= j < 8. */
export function packCols(b: usize, ldb: usize, q: i32, kn: i32, dst: usize): void {
  for (let k = 0; k < kn; k++) {
    const src = b + <usize>k * ldb;
    const d = dst + (<usize>k << 5);
    v128.store(d, f32x4.splat(0));
    v128.store(d, f32x4.splat(0), 16);
    for (let j = 0; j < q; j++) store<f32>(d + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
  }
}

/** C(i, j) = tile(i, j) (or C + tile with addC) for i < r, j < q; tile rows are 8 floats. */
export function storeTile(tile: usize, c: usize, ldc: usize, r: i32, q: i32, addC: bool): void {
  for (let i = 0; i < r; i++) {
    const t = tile + (<usize>i << 5);
    const d = c + <usize>i * ldc;
    for (let j = 0; j < q; j++) {
      const v = load<f32>(t + (<usize>j << 2));
      const p = d + (<usize>j << 2);
      store<f32>(p, addC ? load<f32>(p) + v : v);
    }
  }
}
