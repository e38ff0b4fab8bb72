/**
 * Prints the GEMM benchmark (src/bench/gemm.ts) as a table: naive vs wasm GFLOP/s for each linear
 * product and shape, single thread. Usage: npm run build:wasm && npx tsx scripts/bench-gemm.ts
 */
import { benchGemm } from '../src/bench/gemm.js';

const results = await benchGemm();
const rows = new Map<string, { product: string; m: number; n: number; k: number; naive?: number; wasm?: number }>();
for (const r of results) {
  const [set, product] = r.name.split(' ');
  const key = `${product} ${r.m}x${r.n}x${r.k}`;
  const row = rows.get(key) ?? { product, m: r.m, n: r.n, k: r.k };
  if (set === 'naive') row.naive = r.gflops;
  else row.wasm = r.gflops;
  rows.set(key, row);
}
const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2)).padStart(8);
console.log(
  `${'product'.padEnd(8)} ${'m x n x k'.padEnd(14)} ${'naive'.padStart(8)} ${'wasm'.padStart(8)} ${'speedup'.padStart(8)}   (GFLOP/s, 2mnk)`,
);
for (const r of rows.values()) {
  const speedup = r.naive && r.wasm ? `${(r.wasm / r.naive).toFixed(1)}x` : '-';
  console.log(`${r.product.padEnd(8)} ${`${r.m}x${r.n}x${r.k}`.padEnd(14)} ${fmt(r.naive)} ${fmt(r.wasm)} ${speedup.padStart(8)}`);
}
