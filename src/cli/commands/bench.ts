/** `ablate bench`: the benchmark suite (see src/bench/main.ts and BENCHMARKS.md). */
import { availableKernelSets, quoteInput, type KernelSetName } from '../../engine/index.js';
import { runBench, SUITES, type Suite } from '../../bench/main.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { embeddedDataDir, workerPath } from '../paths.js';

export async function benchCommand(args: string[]): Promise<number> {
  const { values } = parse(
    'bench',
    args,
    {
      json: { type: 'string' },
      quick: { type: 'boolean' },
      only: { type: 'string' },
      pairs: { type: 'string' },
      kernels: { type: 'string' },
    },
    0,
  );
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SUITES];
  for (const s of only)
    if (!SUITES.includes(s as Suite)) throw new UsageError(`bench: unknown suite ${quoteInput(String(s))}; suites: ${SUITES.join(', ')}`);
  let pairs: number | undefined;
  if (values.pairs !== undefined) {
    pairs = Number(values.pairs);
    if (!/^\d+$/.test(values.pairs) || pairs < 1 || pairs > 99)
      throw new UsageError(`bench: --pairs must be a whole number from 1 to 99, got ${quoteInput(values.pairs)}`);
  }
  const available = availableKernelSets();
  const kernels = values.kernels?.split(',').map((s) => s.trim());
  for (const k of kernels ?? [])
    if (!available.includes(k as KernelSetName))
      throw new UsageError(`bench: --kernels: ${quoteInput(k)} is not a kernel set available here; available: ${available.join(', ')}`);
  await runBench({
    workerPath: workerPath(),
    embeddedDir: embeddedDataDir(),
    jsonPath: values.json,
    quick: values.quick ?? false,
    suites: new Set(only as Suite[]),
    pairs,
    kernels: kernels as KernelSetName[] | undefined,
    log: (line) => console.log(line),
  });
  return 0;
}
