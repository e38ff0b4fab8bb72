/**
 * TensorFlow.js peer of the reference benchmark (reference-mlp.ts): trains the same MLP with
 * @tensorflow/tfjs 4.22 on its pure-JS `cpu` backend or on `@tensorflow/tfjs-backend-wasm`
 * (XNNPACK), and returns training samples per second over whole timed steps.
 *
 * Contract: benchTfjs(backend, data, batch, opts) resolves to { samplesPerSec, steps, othersCpu,
 * note }: note says which backend features were really in use, othersCpu how much of the machine
 * other processes took meanwhile (a busy machine makes any throughput figure meaningless). tfjs is imported lazily, so importing this
 * module costs nothing and the rest of the bench works where tfjs is not installed; then the
 * returned promise rejects. Runs one benchmark at a time: tfjs has one global engine and backend.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  BUSY_CPU_SHARE,
  DEFAULT_BENCH_SECONDS,
  DEFAULT_WARMUP_STEPS,
  MIN_TIMED_STEPS,
  REFERENCE_CLASSES,
  REFERENCE_INPUT_DIM,
  REFERENCE_LAYERS,
  REFERENCE_LEARNING_RATE,
  referenceBatchCount,
  referenceSampleCount,
  type PeerBenchOptions,
  type ReferenceData,
} from './reference-mlp.js';

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor2D = import('@tensorflow/tfjs').Tensor2D;
type Variable = import('@tensorflow/tfjs').Variable;
/** One dense layer: (input, kernel, bias) => output. */
type Dense = (x: Tensor, w: Tensor, b: Tensor) => Tensor;

export type TfjsBackend = 'cpu' | 'wasm';

/**
 * How gradients are computed: `autograd` is the code a tfjs user writes (tf.matMul, tf.add,
 * tf.relu under optimizer.minimize); `explicit` uses the hand-written dense gradient below, which
 * keeps every product on XNNPACK (tfjs tuned by hand). Both are reported.
 */
export type TfjsGradients = 'autograd' | 'explicit';

/** The standard dense layer: tfjs's own automatic differentiation does the backward pass. */
function autogradLayer(tf: Tf, relu: boolean): Dense {
  return (x, w, b) => {
    const z = tf.add(tf.matMul(x as Tensor2D, w as Tensor2D), b);
    return relu ? tf.relu(z) : z;
  };
}

export interface TfjsResult {
  samplesPerSec: number;
  steps: number;
  /** Share of all CPUs (0..1) that other processes used while the timed steps ran. */
  othersCpu: number;
  note: string;
}

/** CPU seconds used so far by the whole machine (all cores, idle excluded) and by this process. */
function busySeconds(): { machine: number; own: number } {
  let machine = 0;
  for (const { times } of cpus()) machine += times.user + times.nice + times.sys + times.irq;
  const own = process.cpuUsage();
  return { machine: machine / 1e3, own: (own.user + own.system) / 1e6 };
}

let tfPromise: Promise<Tf> | null = null;
let wasmNote: Promise<string> | null = null;

function loadTf(): Promise<Tf> {
  tfPromise ??= import('@tensorflow/tfjs').then((tf) => {
    tf.enableProdMode(); // only silences tfjs's console warnings (its 'install tfjs-node' banner)
    return tf;
  });
  return tfPromise;
}

/**
 * A dense layer (matmul + bias, then ReLU unless `relu` is false) with a hand-written gradient,
 * numerically the same as autodiff of tf.matMul/tf.add/tf.relu (checked to the last bit on cpu).
 * Why not plain autodiff: tfjs-backend-wasm sends every matMul with transposeA or transposeB,
 * i.e. both products of the backward pass, to a naive scalar loop instead of XNNPACK
 * (batch_mat_mul_impl.cc), and the gradient of tf.fused.matMul also computes the first layer's
 * unneeded input gradient. Transposing explicitly keeps every product on XNNPACK and trains 5 to
 * 10 times faster on wasm (batch 32 to 512), as fast on cpu: tfjs at its best, not a handicap.
 */
function denseLayer(tf: Tf, relu: boolean, needInputGrad: boolean): Dense {
  const f = tf.customGrad((...args: unknown[]) => {
    const [x, w, b, save] = args as [Tensor2D, Tensor2D, Tensor, (ts: Tensor[]) => void];
    const z = tf.fused.matMul({ a: x, b: w, bias: b, activation: relu ? 'relu' : 'linear' });
    save([x, w, z]);
    return {
      value: z,
      gradFunc: (dy: Tensor, saved: Tensor[]): Tensor[] => {
        const [sx, sw, sz] = saved as Tensor2D[];
        // ReLU's derivative from its output: z > 0 exactly where the pre-activation is > 0.
        const dz = relu ? tf.mul<Tensor2D>(dy, tf.step(sz)) : (dy as Tensor2D);
        // customGrad wants a gradient for every input; the first layer's is never used, so a
        // cheap zero tensor stands in for the 2*in*out FLOPs per sample it would cost.
        const dx = needInputGrad ? tf.matMul(dz, tf.transpose(sw)) : tf.zerosLike(sx);
        return [dx, tf.matMul(tf.transpose(sx), dz), tf.sum(dz, 0)];
      },
    };
  });
  return (x, w, b) => f(x, w, b);
}

/**
 * Registers the wasm backend once. In Node its loader reads the .wasm binaries from a plain
 * directory path (no file:// URL) given to setWasmPaths before the first setBackend('wasm').
 * Threads stay off: tfjs answers WASM_HAS_MULTITHREAD_SUPPORT=false whenever IS_NODE, and forcing
 * the flag fails anyway, since its threaded build starts workers from blob: URLs, which Node's
 * worker_threads refuse. SIMD is detected and used when V8 validates it (Node 20 does).
 */
function setUpWasm(tf: Tf): Promise<string> {
  wasmNote ??= (async () => {
    // Same treatment as Ablate's kernels (kernels/wasm/index.ts): optimizing compiler from the
    // start, so neither side is measured in V8's baseline tier.
    setFlagsFromString('--no-liftoff');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    wasm.setWasmPaths(path.join(path.dirname(pkg), 'dist') + path.sep);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    return (
      `tfjs ${tf.version.tfjs}, backend wasm ${wasm.version_wasm} (XNNPACK): ` +
      `SIMD ${simd ? 'on' : 'off'}, multithreading ${threads ? 'on' : 'off (tfjs disables it in Node)'}, ` +
      `${wasm.getThreadsCount()} thread(s)`
    );
  })();
  return wasmNote;
}

export async function benchTfjs(
  backend: TfjsBackend,
  data: ReferenceData,
  batch: number,
  opts: PeerBenchOptions & { gradients?: TfjsGradients } = {},
): Promise<TfjsResult> {
  const gradients = opts.gradients ?? 'explicit';
  const seconds = opts.seconds ?? DEFAULT_BENCH_SECONDS;
  const warmupSteps = opts.warmupSteps ?? DEFAULT_WARMUP_STEPS;
  const n = referenceSampleCount(data);
  const batches = referenceBatchCount(n, batch);

  const tf = await loadTf();
  let note: string;
  if (backend === 'wasm') {
    note = await setUpWasm(tf);
  } else {
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: the cpu backend failed to initialise');
    note = `tfjs ${tf.version.tfjs}, backend cpu (plain JavaScript kernels, 1 thread)`;
  }
  note += gradients === 'explicit' ? '; dense layers with explicit-transpose gradients (see tfjs.ts)' : '; standard automatic gradients';

  // Whole batches as tensors made once, so that the timed loop copies no data. One-hot labels are
  // built here rather than with tf.oneHot, whose wasm kernel in 4.22 writes int32 bits into a
  // float32 output when asked for float32 (every label becomes ~1e-45).
  const xs: Tensor2D[] = [];
  const ys: Tensor2D[] = [];
  for (let i = 0; i < batches; i++) {
    const from = i * batch;
    const oneHot = new Float32Array(batch * REFERENCE_CLASSES);
    for (let j = 0; j < batch; j++) oneHot[j * REFERENCE_CLASSES + data.y[from + j]] = 1;
    xs.push(tf.tensor2d(data.x.subarray(from * REFERENCE_INPUT_DIM, (from + batch) * REFERENCE_INPUT_DIM), [batch, REFERENCE_INPUT_DIM]));
    ys.push(tf.tensor2d(oneHot, [batch, REFERENCE_CLASSES]));
  }

  // Keras defaults: Glorot-uniform kernels, zero biases. Seeded so that runs start alike.
  const weights: Variable[] = [];
  const biases: Variable[] = [];
  const layers: Dense[] = [];
  for (let l = 1; l < REFERENCE_LAYERS.length; l++) {
    const initial = tf.initializers.glorotUniform({ seed: l }).apply([REFERENCE_LAYERS[l - 1], REFERENCE_LAYERS[l]]);
    weights.push(tf.variable(initial));
    initial.dispose(); // the variable holds its own reference to the data
    biases.push(tf.variable(tf.zeros([REFERENCE_LAYERS[l]])));
    const relu = l + 1 < REFERENCE_LAYERS.length;
    layers.push(gradients === 'explicit' ? denseLayer(tf, relu, l > 1) : autogradLayer(tf, relu));
  }
  const optimizer = tf.train.sgd(REFERENCE_LEARNING_RATE);
  const trainable = [...weights, ...biases];

  let next = 0;
  const step = (): void => {
    const x = xs[next];
    const y = ys[next];
    next = (next + 1) % batches;
    tf.tidy(() => {
      optimizer.minimize(
        () => {
          let h: Tensor = x;
          for (let l = 0; l < layers.length; l++) h = layers[l](h, weights[l], biases[l]);
          return tf.losses.softmaxCrossEntropy(y, h);
        },
        false,
        trainable,
      );
    });
  };

  try {
    // Warm-up, but never more than about a third of the measuring time: a cpu step at batch 512
    // takes seconds, and the first step (kernel set-up, allocation) is the one that matters.
    const warmStart = performance.now();
    for (let k = 0; k < warmupSteps; k++) {
      if (k > 0 && performance.now() - warmStart > (seconds * 1000) / 3) break;
      step();
    }
    const tensorsBefore = tf.memory().numTensors;
    let steps = 0;
    let elapsed = 0;
    const busyBefore = busySeconds();
    const start = performance.now();
    while (steps < MIN_TIMED_STEPS || elapsed < seconds * 1000) {
      step();
      steps++;
      elapsed = performance.now() - start;
    }
    // Both backends here run kernels synchronously; reading a parameter proves the last update ran.
    const last = (await biases[biases.length - 1].data())[0];
    elapsed = performance.now() - start;
    const busyAfter = busySeconds();
    const othersCpu =
      Math.max(0, busyAfter.machine - busyBefore.machine - (busyAfter.own - busyBefore.own)) / ((elapsed / 1e3) * cpus().length);
    if (othersCpu > BUSY_CPU_SHARE) note += `; WARNING: other processes used ${Math.round(othersCpu * 100)} % of the CPUs meanwhile`;
    if (!Number.isFinite(last)) throw new Error('tfjs: training diverged (non-finite parameter)');
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) throw new Error(`tfjs: ${leaked} tensors leaked over ${steps} steps`);
    return { samplesPerSec: (steps * batch) / (elapsed / 1000), steps, othersCpu, note };
  } finally {
    optimizer.dispose();
    tf.dispose([...xs, ...ys, ...trainable]);
  }
}
