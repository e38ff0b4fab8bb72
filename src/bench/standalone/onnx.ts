/**
 * Runs the ONNX export benchmark in a fresh process (so the first onnxruntime load is really the
 * first) and prints one line per measurement: `npx tsx src/bench/standalone/onnx.ts [--repeats N]`.
 */
import { benchOnnx } from '../onnx.js';
import { formatTable } from '../../services/text-table.js';

const i = process.argv.indexOf('--repeats');
const repeats = i >= 0 ? Number(process.argv[i + 1]) : undefined;
const results = await benchOnnx({ repeats });
console.log(
  formatTable(
    ['measurement', 'ms'],
    results.map((r) => [r.name, (r.seconds * 1000).toFixed(1)]),
  ),
);
