/**
 * The benchmark suites besides training throughput: GEMM micro-benchmarks, data loading, ONNX
 * export and validation, and the peers (TensorFlow.js, PyTorch) training the identical model on
 * the same data. Each returns JSON result rows and prints its own table.
 */
import { formatTable } from '../services/text-table.js';
import { benchData } from './data.js';
import { availableKernelSets, kernelPath, type KernelSetName } from '../engine/index.js';
import { benchGemm, GEMM_LAYERS, type GemmResult } from './gemm.js';
import { benchBlasGemm } from './peers/blas-gemm.js';
import { benchOnnx } from './onnx.js';
import { benchPytorchBatches } from './peers/pytorch.js';
import { benchTfjs, type TfjsBackend, type TfjsGradients } from './peers/tfjs.js';
import { REFERENCE_MODEL, referenceFlopsPerSample, type ReferenceData } from './peers/reference-mlp.js';
import type { BenchResult } from './main.js';

type Log = (line: string) => void;

/**
 * Single-thread GEMM of every kernel set (except the naive one, measured on the 512^3 case only
 * by src/bench/standalone/gemm.ts) against the same core's OpenBLAS SGEMM in the same run.
 */
export async function gemmSuite(log: Log): Promise<BenchResult[]> {
  log('\nGEMM, single thread (GFLOP/s, 2*m*n*k flops), against OpenBLAS SGEMM on this core:');
  const sets = availableKernelSets().filter((s) => s !== 'naive');
  const rows = await benchGemm(sets);
  const blas = await benchBlasGemm(GEMM_LAYERS);
  const blasOf = (r: GemmResult) =>
    'rows' in blas
      ? blas.rows.find((b) => b.product === r.product && b.rows === r.layer[0] && b.in === r.layer[1] && b.out === r.layer[2])
      : undefined;
  const lines: string[][] = [];
  for (const r of rows.filter((q) => q.set === sets[sets.length - 1])) {
    const peer = blasOf(r)?.gflops;
    const cells = sets.map((set) =>
      rows.find((q) => q.set === set && q.product === r.product && q.layer.join() === r.layer.join())!.gflops.toFixed(1),
    );
    lines.push([
      r.product,
      `${r.layer[0]}x${r.layer[1]}->${r.layer[2]}`,
      ...cells,
      peer?.toFixed(1) ?? '-',
      peer ? `${((100 * r.gflops) / peer).toFixed(0)}%` : '-',
    ]);
  }
  log(formatTable(['product', 'layer (rows x in -> out)', ...sets, 'OpenBLAS', `${sets[sets.length - 1]} / OpenBLAS`], lines));
  log('skipped' in blas ? blas.note : `OpenBLAS: ${blas.blas}, 1 thread`);
  const results: BenchResult[] = rows.map((r) => ({
    suite: 'gemm',
    engine: 'ablate',
    kernels: r.set,
    kernelPath: kernelPath(r.set as KernelSetName),
    workers: 1,
    batch: null,
    model: `${r.m}x${r.n}x${r.k}`,
    samplesPerSec: null,
    gflops: r.gflops,
    product: r.name,
  }));
  if ('rows' in blas) {
    for (const b of blas.rows) {
      results.push({
        suite: 'gemm',
        engine: 'openblas',
        kernels: null,
        workers: 1,
        batch: null,
        model: `${b.rows}:${b.in}:${b.out}`,
        samplesPerSec: null,
        gflops: b.gflops,
        product: b.product,
        blas: blas.blas,
      });
    }
  }
  return results;
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
