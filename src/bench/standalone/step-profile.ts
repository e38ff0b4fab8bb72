/**
 * One thread training the reference MLP in process (the same step program as a pool worker, no
 * barriers), for profilers: prints the process's CPU time per training step after the first
 * (warm-up) epoch, which is comparable between builds on a busy machine where wall-clock
 * throughput is not.
 * BENCHMARKS.md ("Where a step's time goes") was measured with it under
 * `perf record -e cpu-clock -g node --perf-basic-prof` on a bundle of this file; `node --cpu-prof`
 * shows the JavaScript side. Usage: npx tsx src/bench/standalone/step-profile.ts [--batch 32]
 * [--kernels native] [--epochs 3] [--chunks 8]
 */
import { parseArgs } from 'node:util';
import { kernelFactory, type KernelSetName, loadDataset, trainInProcess } from '../../engine/index.js';
import { referenceConfig } from '../train.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '32' },
    kernels: { type: 'string', default: 'native' },
    epochs: { type: 'string', default: '3' },
    chunks: { type: 'string' },
    embedded: { type: 'string', default: 'resources/runtime/mnist' },
  },
});
const batch = Number(values.batch);
const mnist = await loadDataset({ source: 'mnist' }, { embeddedDir: values.embedded });
if (mnist.targets.kind !== 'class') throw new Error('embedded MNIST must have class targets');
const cfg = referenceConfig(batch, Number(values.epochs));
const config = values.chunks ? { ...cfg, train: { ...cfg.train, chunks: Number(values.chunks) } } : cfg;
const n = mnist.targets.labels.length;
const data = {
  features: mnist.features,
  d: mnist.features.length / n,
  labels: mnist.targets.labels,
  values: null,
  width: 1,
  train: Int32Array.from({ length: n }, (_, i) => i),
  validation: new Int32Array(0),
  test: new Int32Array(0),
};
// CPU time from the end of the first epoch (start-up and warm-up left out) to the end.
let cpu0: NodeJS.CpuUsage | null = null;
const onEpoch = () => void (cpu0 ??= process.cpuUsage());
const { outcome } = trainInProcess(config, data, { kernels: kernelFactory(values.kernels as KernelSetName), hooks: { onEpoch } });
const cpu = process.cpuUsage(cpu0 ?? undefined);
const steps = outcome.epochs.slice(1).reduce((a, e) => a + e.steps, 0);
for (const e of outcome.epochs) console.log(`epoch ${e.epoch}: ${((e.steps * batch) / e.seconds).toFixed(0)} samples/s (wall clock)`);
console.log(
  `${values.kernels}, batch ${batch}: ${((cpu.user + cpu.system) / steps).toFixed(0)} us of CPU per step over ${steps} steps after the first epoch`,
);
