/**
 * Prints the data-layer benchmark (src/bench/data.ts): npx tsx src/bench/standalone/data.ts [csvMb] [runs]
 * Run from the repository root (the embedded MNIST cache is found under resources/runtime/mnist).
 */
import { benchData } from '../data.js';
import { formatTable } from '../../services/text-table.js';

async function main(): Promise<void> {
  const csvMb = process.argv[2] ? Number(process.argv[2]) : undefined;
  const runs = process.argv[3] ? Number(process.argv[3]) : undefined;
  const results = await benchData({ csvMb, runs });
  const fmt = (v: number | undefined, digits: number): string => (v === undefined ? '-' : v.toFixed(digits));
  console.log(
    formatTable(
      ['benchmark', 'seconds', 'cpu s', 'MB/s', 'peak RSS MB', 'arrays MB', 'peak/arrays'],
      results.map((r) => [
        r.name,
        fmt(r.seconds, 3),
        fmt(r.cpuSeconds, 2),
        fmt(r.mbPerSec, 1),
        fmt(r.peakRssMb, 0),
        fmt(r.arraysMb, 0),
        fmt(r.peakRssMb !== undefined && r.arraysMb ? r.peakRssMb / r.arraysMb : undefined, 2),
      ]),
    ),
  );
  console.log('peak RSS: sampled process.memoryUsage.rss() every 5 ms in this process, minus the RSS before the load (after a GC).');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
