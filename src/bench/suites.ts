/**
 * The benchmark suites besides training throughput: GEMM micro-benchmarks, data loading, ONNX
 * export and validation, and the peers (TensorFlow.js, PyTorch) training the identical model on
 * the same data. Each returns JSON result rows and prints its own table.
 */
import { formatTable } from '../services/text-table.js';
import { benchData } from './data.js';
import { availableKernelSets, kernelPath, type KernelSetName } from '../engine/index.js';
import { benchGemm, type GemmResult } from './gemm.js';
import { openBlasPeer } from './peers/blas-gemm.js';
import { benchOnnx } from './onnx.js';
import { benchPytorchBatches } from './peers/pytorch.js';
import { benchTfjs, type TfjsBackend, type TfjsGradients } from './peers/tfjs.js';
import { REFERENCE_MODEL, referenceFlopsPerSample, type ReferenceData } from './peers/reference-mlp.js';
import type { BenchResult } from './main.js';

type Log = (line: string) => void;

/**
 * Single-thread GEMM of every kernel set (except the naive one, measured on the 512^3 case only
 * by src/bench/standalone/gemm.ts) against the same core's OpenBLAS SGEMM in the same run, trial
 * by trial in turn (gemm.ts): the ratio is the median of adjacent pairs' ratios.
 */
export async function gemmSuite(log: Log): Promise<BenchResult[]> {
  log('\nGEMM, single thread (GFLOP/s, 2*m*n*k flops, median of the trials), against OpenBLAS SGEMM on this core:');
  const sets = availableKernelSets().filter((s) => s !== 'naive');
  const peer = await openBlasPeer();
  let rows: GemmResult[];
  try {
    rows = await benchGemm(sets, 'skipped' in peer ? null : peer);
  } finally {
    if (!('skipped' in peer)) await peer.close();
  }
  const fastest = sets[sets.length - 1];
  const lines: string[][] = [];
  for (const r of rows.filter((q) => q.set === fastest)) {
    const same = (q: GemmResult) => q.product === r.product && q.layer.join() === r.layer.join();
    const peerRow = 'skipped' in peer ? undefined : rows.find((q) => q.set === peer.name && same(q));
    const v = r.vsPeer;
    lines.push([
      r.product,
      `${r.layer[0]}x${r.layer[1]}->${r.layer[2]}`,
      ...sets.map((set) => rows.find((q) => q.set === set && same(q))!.gflops.toFixed(1)),
      peerRow?.gflops.toFixed(1) ?? '-',
      v ? `${(100 * v.median).toFixed(0)}% (${(100 * v.min).toFixed(0)}-${(100 * v.max).toFixed(0)}%)` : '-',
    ]);
  }
  log(formatTable(['product', 'layer (rows x in -> out)', ...sets, 'OpenBLAS', `${fastest} / OpenBLAS: median pair (min-max)`], lines));
  log(
    'skipped' in peer
      ? peer.note
      : `OpenBLAS: ${peer.description}; each set and OpenBLAS timed in turn, ${rows[0]?.trials ?? 0} trials each (ABBA), the ratio is the median of adjacent pairs`,
  );
  return rows.map((r) => ({
    suite: 'gemm',
    engine: 'skipped' in peer || r.set !== peer.name ? 'ablate' : 'openblas',
    kernels: 'skipped' in peer || r.set !== peer.name ? r.set : null,
    kernelPath: 'skipped' in peer || r.set !== peer.name ? kernelPath(r.set as KernelSetName) : null,
    workers: 1,
    batch: null,
    model: `${r.m}x${r.n}x${r.k}`,
    layer: r.layer.join(':'),
    samplesPerSec: null,
    gflops: r.gflops,
    gflopsBest: r.gflopsBest,
    trials: r.trials,
    vsOpenblas: r.vsPeer,
    product: r.name,
    ...('skipped' in peer || r.set !== peer.name ? {} : { blas: peer.description }),
  }));
}

export async function dataSuite(log: Log, embeddedDir: string, quick: boolean): Promise<BenchResult[]> {
  log('\nData loading:');
  const rows = await benchData({ csvMb: quick ? 20 : 100, embeddedDir });
  log(
    formatTable(
      ['load', 'seconds', 'MB/s', 'peak RSS', 'arrays'],
      rows.map((r) => [
        r.name,
        r.seconds.toFixed(2),
        r.mbPerSec?.toFixed(0) ?? '',
        r.peakRssMb ? `${r.peakRssMb.toFixed(0)} MB` : '',
        r.arraysMb ? `${r.arraysMb.toFixed(0)} MB` : '',
      ]),
    ),
  );
  return rows.map((r) => ({
    suite: 'data',
    engine: 'ablate',
    kernels: null,
    workers: null,
    batch: null,
    model: r.name,
    samplesPerSec: null,
    gflops: null,
    ...r,
  }));
}

export async function onnxSuite(log: Log): Promise<BenchResult[]> {
  log(`\nONNX export + onnxruntime validation of the ${REFERENCE_MODEL} model:`);
  const rows = await benchOnnx();
  log(
    formatTable(
      ['step', 'seconds'],
      rows.map((r) => [r.name, r.seconds.toFixed(3)]),
    ),
  );
  return rows.map((r) => ({
    suite: 'onnx',
    engine: 'ablate',
    kernels: null,
    workers: null,
    batch: null,
    model: REFERENCE_MODEL,
    samplesPerSec: null,
    gflops: null,
    step: r.name,
    seconds: r.seconds,
  }));
}

const TFJS: Array<{ engine: string; backend: TfjsBackend; gradients: TfjsGradients }> = [
  { engine: 'tfjs-cpu', backend: 'cpu', gradients: 'autograd' },
  { engine: 'tfjs-wasm', backend: 'wasm', gradients: 'autograd' },
  { engine: 'tfjs-wasm-tuned', backend: 'wasm', gradients: 'explicit' },
];

export async function peersSuite(log: Log, data: ReferenceData, batches: number[], seconds: number): Promise<BenchResult[]> {
  const flops = referenceFlopsPerSample();
  const results: BenchResult[] = [];
  const row = (engine: string, workers: number, batch: number, samplesPerSec: number, note: string): BenchResult => ({
    suite: 'train',
    engine,
    kernels: null,
    workers,
    batch,
    model: REFERENCE_MODEL,
    samplesPerSec,
    gflops: (samplesPerSec * flops) / 1e9,
    note,
  });
  for (const t of TFJS) {
    for (const batch of batches) {
      try {
        const r = await benchTfjs(t.backend, data, batch, { seconds, gradients: t.gradients });
        results.push(row(t.engine, 1, batch, r.samplesPerSec, r.note));
        log(`  ${t.engine} batch=${batch}: ${r.samplesPerSec.toFixed(0)} samples/s`);
      } catch (err) {
        log(`  ${t.engine} batch=${batch}: failed (${(err as Error).message})`);
      }
    }
  }
  const torch = await benchPytorchBatches(data, batches, { seconds }).catch((err: Error) => ({
    skipped: true as const,
    note: `PyTorch failed: ${err.message}`,
  }));
  if ('skipped' in torch) {
    log(`  ${torch.note}`);
  } else {
    torch.forEach((r, i) => {
      results.push(
        row(
          'pytorch',
          r.threadsBest,
          batches[i],
          r.best,
          `${r.note}; 1 thread ${r.samplesPerSec1.toFixed(0)}, 2 threads ${r.samplesPerSec2.toFixed(0)} samples/s`,
        ),
      );
      log(`  pytorch batch=${batches[i]}: ${r.best.toFixed(0)} samples/s (best of 1 and 2 threads)`);
    });
    log(`  PyTorch set-up: ${torch[0]?.note}`);
  }
  return results;
}
