/** `ablate bench`: the benchmark suite (see src/bench/main.ts and BENCHMARKS.md). */
import { quoteInput } from '../../engine/index.js';
import { runBench, SUITES, type Suite } from '../../bench/main.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { embeddedDataDir, workerPath } from '../paths.js';

export async function benchCommand(args: string[]): Promise<number> {
  const { values } = parse('bench', args, { json: { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' } }, 0);
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SUITES];
  for (const s of only)
    if (!SUITES.includes(s as Suite)) throw new UsageError(`bench: unknown suite ${quoteInput(String(s))}; suites: ${SUITES.join(', ')}`);
  await runBench({
    workerPath: workerPath(),
    embeddedDir: embeddedDataDir(),
    jsonPath: values.json,
    quick: values.quick ?? false,
    suites: new Set(only as Suite[]),
    log: (line) => console.log(line),
  });
  return 0;
}
