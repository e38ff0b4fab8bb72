/**
 * Data-layer benchmark: the embedded MNIST cache, Fashion-MNIST's 60,000 training images from gzip
 * (Debian's dataset-fashion-mnist files), and a generated ~100 MB numeric CSV (20 float features
 * and an integer class; written to os.tmpdir() and deleted afterwards).
 * Memory: peakRssMb is the peak of process.memoryUsage.rss(), sampled every 5 ms in this process
 * during the load (and once right after it), minus the RSS just before the load, measured after a
 * full GC (V8's gc() is exposed at run time for this). It includes V8's young generation and any
 * garbage not yet collected. arraysMb is the size of the resulting features + targets.
 * Timing: wall clock, the fastest of `runs` loads (the machine may be shared). Node only.
 */
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Dataset, loadCsv, loadEmbeddedMnist, loadIdxPair, RandomStream } from '../engine/index.js';

export interface DataBenchResult {
  name: string;
  seconds: number;
  mbPerSec?: number;
  peakRssMb?: number;
  arraysMb?: number;
  /** CPU time (user + system, all threads) of the fastest load: less sensitive to a shared machine. */
  cpuSeconds?: number;
}

export interface DataBenchOptions {
  /** Size of the generated CSV in MB (default 100). */
  csvMb?: number;
  /** Loads per measurement; the fastest time and the largest peak are reported (default 2). */
  runs?: number;
  /** Folder of the embedded MNIST cache (default resources/runtime/mnist under the cwd). */
  embeddedDir?: string;
  fashionDir?: string;
}

const MB = 1e6;
export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function arraysBytes(ds: Dataset): number {
  const t = ds.targets;
  return ds.features.byteLength + (t.kind === 'class' ? t.labels.byteLength : t.values.byteLength);
}

async function measure(
  runs: number,
  load: () => Promise<Dataset>,
): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number; arraysMb: number; cells: number }> {
  const gc = getGc();
  let seconds = Infinity;
  let cpuSeconds = 0;
  let peak = 0;
  let arrays = 0;
  let cells = 0;
  for (let r = 0; r < runs; r++) {
    gc();
    const base = process.memoryUsage.rss();
    let max = base;
    const timer = setInterval(() => (max = Math.max(max, process.memoryUsage.rss())), 5);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let ds: Dataset | undefined = await load();
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    max = Math.max(max, process.memoryUsage.rss());
    clearInterval(timer);
    arrays = arraysBytes(ds);
    cells = ds.n * ds.d;
    ds = undefined;
    if (s < seconds) cpuSeconds = (cpu.user + cpu.system) / 1e6;
    seconds = Math.min(seconds, s);
    peak = Math.max(peak, max - base);
  }
  return { seconds, cpuSeconds, peakRssMb: peak / MB, arraysMb: arrays / MB, cells };
}

/** Writes a numeric CSV of about `mb` MB: header f1..f20,label; 20 floats in [-1, 1], a class 0..9. */
export async function writeNumericCsv(file: string, mb: number, seed = 1): Promise<number> {
  const rng = new RandomStream(seed);
  const out = createWriteStream(file);
  let bytes = 0;
  const header = Array.from({ length: 20 }, (_, j) => `f${j + 1}`).join(',') + ',label\n';
  out.write(header);
  bytes += header.length;
  while (bytes < mb * MB) {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let line = '';
      for (let j = 0; j < 20; j++) line += rng.uniform(-1, 1).toFixed(5) + ',';
      line += rng.int(10) + '\n';
      lines.push(line);
    }
    const block = lines.join('');
    bytes += block.length;
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return bytes;
}

export async function benchData(opts: DataBenchOptions = {}): Promise<DataBenchResult[]> {
  const runs = opts.runs ?? 2;
  const results: DataBenchResult[] = [];

  // The CSV first, while the heap is small, so its memory figure is not flattered by reuse.
  const csvFile = path.join(os.tmpdir(), `ablate-bench-${process.pid}.csv`);
  try {
    const bytes = await writeNumericCsv(csvFile, opts.csvMb ?? 100);
    const m = await measure(runs, () =>
      loadCsv(csvFile, { target: 'label', task: 'auto', missing: 'error', categorical: 'onehot', header: 'auto' }),
    );
    const { seconds, cpuSeconds, peakRssMb, arraysMb } = m;
    results.push({
      name: `csv ${(bytes / MB).toFixed(0)} MB numeric (20 features + class)`,
      seconds,
      mbPerSec: bytes / MB / seconds,
      peakRssMb,
      arraysMb,
      cpuSeconds,
    });
  } finally {
    rmSync(csvFile, { force: true });
  }

  const embedded = opts.embeddedDir ?? path.resolve('resources', 'runtime', 'mnist');
  if (existsSync(embedded)) {
    const { seconds, cpuSeconds, peakRssMb, arraysMb } = await measure(runs, () => loadEmbeddedMnist(embedded));
    results.push({ name: 'embedded mnist (10000 x 784)', seconds, peakRssMb, arraysMb, cpuSeconds });
  }

  const fashion = opts.fashionDir ?? FASHION_DIR;
  const images = path.join(fashion, 'train-images-idx3-ubyte.gz');
  if (existsSync(images)) {
    const m = await measure(runs, () => loadIdxPair(images, path.join(fashion, 'train-labels-idx1-ubyte.gz')));
    const { seconds, cpuSeconds, peakRssMb, arraysMb } = m;
    // Throughput over the decompressed pixel bytes (one byte per feature).
    results.push({
      name: 'fashion-mnist train from gz (60000 x 784)',
      seconds,
      mbPerSec: m.cells / MB / seconds,
      peakRssMb,
      arraysMb,
      cpuSeconds,
    });
  }
  return results;
}
