/**
 * Prints the GEMM benchmark (src/bench/gemm.ts) as a table: naive vs wasm GFLOP/s for each linear
 * product and shape, single thread. Usage: npm run build:wasm && npx tsx src/bench/standalone/gemm.ts
 */
import { benchGemm } from '../gemm.js';
import { formatTable } from '../../services/text-table.js';

const results = await benchGemm();
const rows = new Map<string, { product: string; shape: string; naive?: number; wasm?: number }>();
for (const r of results) {
  const [set, product] = r.name.split(' ');
  const shape = `${r.m}x${r.n}x${r.k}`;
  const key = `${product} ${shape}`;
  const row = rows.get(key) ?? { product, shape };
  if (set === 'naive') row.naive = r.gflops;
  else row.wasm = r.gflops;
  rows.set(key, row);
}
const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
console.log('GFLOP/s (2mnk flops), single thread:');
console.log(
  formatTable(
    ['product', 'm x n x k', 'naive', 'wasm', 'speedup'],
    [...rows.values()].map((r) => [
      r.product,
      r.shape,
      fmt(r.naive),
      fmt(r.wasm),
      r.naive && r.wasm ? `${(r.wasm / r.naive).toFixed(1)}x` : '-',
    ]),
  ),
);
