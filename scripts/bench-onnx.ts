/**
 * Runs the ONNX export benchmark in a fresh process (so the first onnxruntime load is really the
 * first) and prints one line per measurement: `npx tsx scripts/bench-onnx.ts [--repeats N]`.
 */
import { benchOnnx } from '../src/bench/onnx.js';

const i = process.argv.indexOf('--repeats');
const repeats = i >= 0 ? Number(process.argv[i + 1]) : undefined;
const results = await benchOnnx({ repeats });
const width = Math.max(...results.map((r) => r.name.length));
for (const r of results) console.log(`${r.name.padEnd(width)}  ${(r.seconds * 1000).toFixed(1).padStart(8)} ms`);
