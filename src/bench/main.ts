/**
 * The benchmark suite behind `npm run bench`: every figure is measured in this run on this
 * machine, and Ablate is reported as ratios against peers measured side by side (TensorFlow.js,
 * PyTorch when available). Prints tables and optionally writes the JSON results file.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { availableKernelSets, describeKernelSet, ENGINE_VERSION, loadDataset, type KernelSetName } from '../engine/index.js';
import { benchDiagnostics } from './diagnostics.js';
import { REFERENCE_BATCH_SIZES, REFERENCE_MODEL, type ReferenceData } from './peers/reference-mlp.js';
import { dataSuite, gemmSuite, onnxSuite, peersSuite } from './suites.js';
import { formatTable } from '../services/text-table.js';
import { benchEstimate, ESTIMATE_TOLERANCE } from './estimate.js';
import { benchScheduling } from './scheduling.js';
import { benchTrain, type TrainBenchRow } from './train.js';

export const SUITES = ['train', 'diagnostics', 'scheduling', 'estimate', 'gemm', 'data', 'onnx', 'peers'] as const;
export type Suite = (typeof SUITES)[number];

export interface BenchOptions {
  workerPath: string;
  embeddedDir: string;
  jsonPath?: string;
  quick: boolean;
  suites: Set<Suite>;
  /** The train suite's 1/2-worker pairs per kernel set and batch (default 5, 1 with quick). */
  pairs?: number;
  /** The train suite's kernel sets (default: every set available). */
  kernels?: KernelSetName[];
  log: (line: string) => void;
}

/** One row of the JSON results (the train-suite fields are shared by every engine). */
export interface BenchResult {
  suite: string;
  engine: string;
  kernels: string | null;
  workers: number | null;
  batch: number | null;
  model: string;
  samplesPerSec: number | null;
  gflops: number | null;
  [extra: string]: unknown;
}

/** The suites that train on the embedded MNIST digits. */
const SUITES_ON_MNIST: readonly Suite[] = ['train', 'diagnostics', 'scheduling', 'peers'];

async function loadMnist(embeddedDir: string): Promise<ReferenceData> {
  const mnist = await loadDataset({ source: 'mnist' }, { embeddedDir });
  if (mnist.targets.kind !== 'class') throw new Error('embedded MNIST must have class targets');
  return { x: mnist.features, y: mnist.targets.labels };
}

export async function runBench(o: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  o.log(
    `Ablate ${ENGINE_VERSION} benchmarks on ${cpus().length} x ${cpu}, Node ${process.versions.node}, kernels available: ${availableKernelSets().map(describeKernelSet).join(', ')}`,
  );
  const batches = o.quick ? [128] : [...REFERENCE_BATCH_SIZES];
  const seconds = o.quick ? 1.5 : 3;
  // The embedded MNIST digits, loaded for the suites that train on them only.
  const data = SUITES_ON_MNIST.some((s) => o.suites.has(s)) ? await loadMnist(o.embeddedDir) : undefined;

  if (data && o.suites.has('train')) {
    o.log('\nTraining throughput, reference MLP ' + REFERENCE_MODEL + ' (ReLU, softmax cross-entropy, SGD), MNIST 10k:');
    const rows = await benchTrain({
      workerPath: o.workerPath,
      features: data.x,
      labels: data.y,
      kernels: o.kernels ?? availableKernelSets().reverse(),
      workers: [1, 2],
      batches,
      seconds,
      pairs: o.pairs ?? (o.quick ? 1 : 5),
      log: o.log,
    });
    results.push(...rows);
    o.log(
      formatTable(
        [
          'kernels',
          'workers',
          'batch',
          'samples/s (median)',
          'GFLOP/s',
          'scaling: median pair (min-max)',
          'sync wait',
          'line round trip',
          'run memory',
          'heap B/step',
        ],
        rows.map(trainCells),
      ),
    );
    o.log(
      "samples/s: median of each worker count's runs; scaling: 1 and 2 workers run in turn (ABBA), the median of the adjacent pairs' ratios, so the host's drift cancels." +
        " line round trip: a cache line bounced between two threads just before / after the runs; where it is long, the host has put the team's cores far apart and a team scales worse (BENCHMARKS.md, 'The host moves the two vCPUs')." +
        " heap B/step: JavaScript heap bytes each thread allocated per training step (leader / other), least-most over the runs; the leader's include its progress messages.",
    );
    const teams = rows.filter((r) => r.team);
    if (teams.length > 0) {
      o.log(
        "\nWhere the second worker's time goes (mean over the measured runs; per thread 0 / 1: barrier wait in µs per step by phase," +
          ' share of barriers that slept, thread CPU / wall):',
      );
      o.log(formatTable(['kernels', 'batch', 'barriers/step', 'rows', 'weights', 'update', 'slept', 'CPU / wall'], teams.map(teamCells)));
    }
  }
  if (data && o.suites.has('diagnostics')) {
    const d = await benchDiagnostics({ workerPath: o.workerPath, features: data.x, labels: data.y, seconds });
    o.log(
      `\nDiagnostics overhead at the default frequency (every ${d.everySteps} steps), batch 128, 1 worker: ${(100 * d.overhead).toFixed(1)}% (${d.without.toFixed(0)} -> ${d.with.toFixed(0)} samples/s)`,
    );
    results.push({
      suite: 'diagnostics',
      engine: 'ablate',
      kernels: d.kernels,
      workers: 1,
      batch: 128,
      model: REFERENCE_MODEL,
      samplesPerSec: d.with,
      gflops: null,
      overhead: d.overhead,
      samplesPerSecWithout: d.without,
    });
  }
  if (data && o.suites.has('scheduling')) {
    o.log('\nSharing the workers between runs (wall time of the runs, best of ' + (o.quick ? 1 : 3) + '):');
    results.push(
      ...(await benchScheduling({
        workerPath: o.workerPath,
        features: data.x,
        labels: data.y,
        workers: 2,
        repeats: o.quick ? 1 : 3,
        quick: o.quick,
        log: o.log,
      })),
    );
  }
  if (o.suites.has('estimate')) {
    o.log(
      `\nThe design tab's time estimate against real runs (tolerance: within its range and ${100 * ESTIMATE_TOLERANCE}% of its centre):`,
    );
    results.push(...(await benchEstimate({ workerPath: String(o.workerPath), embeddedDir: o.embeddedDir, log: o.log })));
  }
  if (o.suites.has('gemm')) results.push(...(await gemmSuite(o.log)));
  if (o.suites.has('data')) results.push(...(await dataSuite(o.log, o.embeddedDir, o.quick)));
  if (o.suites.has('onnx')) results.push(...(await onnxSuite(o.log)));
  if (data && o.suites.has('peers')) {
    o.log('\nPeers training the identical model on the same data:');
    results.push(...(await peersSuite(o.log, data, batches, seconds)));
  }
  printRatios(o.log, results);
  const rss = process.resourceUsage().maxRSS / 1024;
  o.log(`\nPeak RSS of this process so far: ${rss.toFixed(0)} MB`);
  results.push({
    suite: 'memory',
    engine: 'ablate',
    kernels: null,
    workers: null,
    batch: null,
    model: REFERENCE_MODEL,
    samplesPerSec: null,
    gflops: null,
    peakRssMb: rss,
  });
  if (o.jsonPath) {
    writeFileSync(
      o.jsonPath,
      JSON.stringify({ engineVersion: ENGINE_VERSION, cpu, cores: cpus().length, node: process.versions.node, results }, null, 2) + '\n',
    );
    o.log(`wrote ${o.jsonPath}`);
  }
  return results;
}

/** Ablate (fastest kernels, most workers) against every peer, per batch size. */
function printRatios(log: (line: string) => void, results: BenchResult[]): void {
  const train = results.filter((r) => r.suite === 'train' && r.samplesPerSec !== null);
  const ours = train.filter((r) => r.engine === 'ablate');
  const peers = [...new Set(train.filter((r) => r.engine !== 'ablate').map((r) => r.engine))];
  if (ours.length === 0 || peers.length === 0) return;
  const rows: string[][] = [];
  for (const batch of [...new Set(ours.map((r) => r.batch!))]) {
    const best = ours.filter((r) => r.batch === batch).sort((a, b) => b.samplesPerSec! - a.samplesPerSec!)[0];
    const cells = peers.map((p) => {
      const peer = train.find((r) => r.engine === p && r.batch === batch);
      return peer ? `${(best.samplesPerSec! / peer.samplesPerSec!).toFixed(2)}x` : '-';
    });
    rows.push([
      String(batch),
      `${describeKernelSet(best.kernels as KernelSetName)}, ${best.workers} workers: ${best.samplesPerSec!.toFixed(0)}`,
      ...cells,
    ]);
  }
  log('\nAblate throughput as a multiple of each peer (same machine, same run):');
  log(formatTable(['batch', 'ablate samples/s', ...peers], rows));
}

function teamCells(r: TrainBenchRow): string[] {
  const t = r.team!;
  const both = (f: (i: number) => string) => t.cpuShare.map((_, i) => f(i)).join(' / ');
  const wait = (phase: string) => both((i) => (t.waitUsPerStep[i][phase] ?? 0).toFixed(0));
  return [
    describeKernelSet(r.kernels),
    String(r.batch),
    t.barriersPerStep.toFixed(1),
    wait('rows'),
    wait('weights'),
    wait('update'),
    both((i) => `${(100 * t.sleptShare[i]).toFixed(0)}%`),
    both((i) => (t.cpuShare[i] === null ? 'n/a' : `${(100 * t.cpuShare[i]!).toFixed(0)}%`)),
  ];
}

function trainCells(r: TrainBenchRow): string[] {
  const s = r.scaling;
  const scaling = s
    ? `${s.median.toFixed(2)}x (${s.min.toFixed(2)}-${s.max.toFixed(2)}), ${((100 * s.median) / r.workers).toFixed(0)}%`
    : '';
  return [
    describeKernelSet(r.kernels),
    String(r.workers),
    String(r.batch),
    r.samplesPerSec.toFixed(0),
    r.gflops.toFixed(1),
    scaling,
    r.workers > 1 ? `${(100 * r.syncFraction).toFixed(1)}%` : '',
    r.coreRoundTripNs ? `${r.coreRoundTripNs.before.toFixed(0)} / ${r.coreRoundTripNs.after.toFixed(0)} ns` : '',
    `${r.runMemoryMb.toFixed(1)} MB`,
    r.heapBytesPerStep
      .map((h) => (h === null ? 'n/a' : h.least === h.most ? h.least.toFixed(0) : `${h.least.toFixed(0)}-${h.most.toFixed(0)}`))
      .join(' / '),
  ];
}
