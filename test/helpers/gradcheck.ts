/**
 * Finite-difference gradient check of a whole network through the real step program: the
 * analytic gradient (gradient arena after forwardBackward) against central differences of the
 * batch-mean loss plus penalty terms, in training mode (batch-norm batch statistics, dropout masks
 * fixed by reusing the same step number). Float32 network, so differences use a fairly large
 * step h, refined by Richardson extrapolation of the h and h/2 central differences; points where
 * the two disagree (a ReLU or |w| kink crossed within the step) are counted as skipped, and tests
 * require a minimum number of checked entries so a check cannot pass vacuously.
 */
import { validateRunConfig } from '../../src/engine/config/validate.js';
import { initializeModel } from '../../src/engine/init/initializers.js';
import { createKernels } from '../../src/engine/kernels/select.js';
import type { KernelSetName } from '../../src/engine/kernels/types.js';
import { createRunMemory } from '../../src/engine/memory/wasm-memory.js';
import { SoloTeam } from '../../src/engine/run/team.js';
import { stream } from '../../src/engine/rng/stream.js';
import { createRunContext, runMemoryBytes, runShape, type TrainingData } from '../../src/engine/train/setup.js';

export interface GradCheckResult {
  checked: number;
  skipped: number;
  worst: { name: string; index: number; analytic: number; numeric: number; error: number } | null;
}

/**
 * Checks `samplesPerTensor` random entries of every parameter tensor. Pass criterion per entry:
 * |analytic - numeric| <= rtol * max(|analytic|, |numeric|) + atol.
 */
export function gradCheck(
  rawConfig: unknown,
  data: TrainingData,
  opts: {
    eps?: number;
    rtol?: number;
    atol?: number;
    samplesPerTensor?: number;
    seed?: number;
    corrupt?: (analytic: Float32Array) => void;
    /** Kernel set of the forward/backward pass (default naive). */
    kernels?: KernelSetName;
  } = {},
): GradCheckResult & { failures: string[] } {
  const eps = opts.eps ?? 1e-2;
  const rtol = opts.rtol ?? 2e-2;
  const atol = opts.atol ?? 2e-4;
  const cfg = validateRunConfig(rawConfig);
  const shape = runShape(cfg, 1, data.values !== null);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const kernels = createKernels(opts.kernels ?? 'naive', memory, 0);
  const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), kernels, data);
  const { mem, program } = ctx;
  initializeModel(shape.plan, cfg.model.init, cfg.seed, mem.params, mem.bnBuffers);
  const rows = data.train.length;
  const { l1, l2 } = cfg.train.penalties;
  const loss = (): number => {
    program.forwardBackward(data.train, 0, rows, 1);
    let pen = 0;
    for (const p of shape.plan.params) {
      if (p.kind !== 'weight') continue;
      for (let i = p.offset; i < p.offset + p.size; i++) pen += l1 * Math.abs(mem.params[i]) + l2 * mem.params[i] * mem.params[i];
    }
    return program.lossSum / rows + pen;
  };
  loss();
  const analytic = Float32Array.from(mem.grads);
  opts.corrupt?.(analytic);
  const rng = stream(opts.seed ?? 5, 1234);
  const failures: string[] = [];
  let checked = 0;
  let skipped = 0;
  let worst: GradCheckResult['worst'] = null;
  for (const p of shape.plan.params) {
    const n = Math.min(p.size, opts.samplesPerTensor ?? 12);
    for (let s = 0; s < n; s++) {
      const i = p.offset + (n === p.size ? s : rng.int(p.size));
      const central = (h: number): number => {
        const orig = mem.params[i];
        mem.params[i] = orig + h;
        const fp = loss();
        mem.params[i] = orig - h;
        const fm = loss();
        mem.params[i] = orig;
        return (fp - fm) / (2 * h);
      };
      const coarse = central(eps);
      const fine = central(eps / 2);
      // Richardson extrapolation cancels the O(h^2) truncation error of central differences.
      const numeric = (4 * fine - coarse) / 3;
      const a = analytic[i];
      const allowed = rtol * Math.max(Math.abs(a), Math.abs(numeric)) + atol;
      if (Math.abs(coarse - fine) > 0.5 * allowed) {
        skipped++; // not smooth within the step (a kink was crossed): differences are meaningless here
        continue;
      }
      checked++;
      const error = Math.abs(a - numeric);
      if (!worst || error / allowed > worst.error)
        worst = { name: p.name, index: i - p.offset, analytic: a, numeric, error: error / allowed };
      if (error > allowed)
        failures.push(`${p.name}[${i - p.offset}]: analytic ${a.toExponential(4)} vs numeric ${numeric.toExponential(4)}`);
    }
  }
  loss();
  return { checked, skipped, worst, failures };
}
