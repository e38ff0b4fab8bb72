/**
 * Prints the GEMM benchmark (src/bench/gemm.ts) as a table: GFLOP/s of every available kernel set
 * for each linear product and shape, single thread, and the speed-up of the fastest set over the
 * naive one. Usage: npm run build:engine && npx tsx src/bench/standalone/gemm.ts
 */
import { benchGemm } from '../gemm.js';
import { formatTable } from '../../services/text-table.js';

const results = await benchGemm();
const sets = [...new Set(results.map((r) => r.set))];
const rows = new Map<string, { product: string; shape: string; gflops: Map<string, number> }>();
for (const r of results) {
  const shape = `${r.m}x${r.n}x${r.k}`;
  const key = `${r.product} ${shape}`;
  const row = rows.get(key) ?? { product: r.product, shape, gflops: new Map<string, number>() };
  row.gflops.set(r.set, r.gflops);
  rows.set(key, row);
}
const fastest = sets[sets.length - 1];
console.log('GFLOP/s (2mnk flops), single thread:');
console.log(
  formatTable(
    ['product', 'm x n x k', ...sets, `${fastest} / naive`],
    [...rows.values()].map((r) => {
      const naive = r.gflops.get('naive');
      const best = r.gflops.get(fastest);
      return [
        r.product,
        r.shape,
        ...sets.map((s) => r.gflops.get(s)?.toFixed(2) ?? '-'),
        naive && best ? `${(best / naive).toFixed(1)}x` : '-',
      ];
    }),
  ),
);
