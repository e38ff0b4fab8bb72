/**
 * Prints the data-layer benchmark (src/bench/data.ts): npx tsx scripts/bench-data.ts [csvMb] [runs]
 * Run from the repository root (the embedded MNIST cache is found under resources/runtime/mnist).
 */
import { benchData } from '../src/bench/data.js';

async function main(): Promise<void> {
  const csvMb = process.argv[2] ? Number(process.argv[2]) : undefined;
  const runs = process.argv[3] ? Number(process.argv[3]) : undefined;
  const results = await benchData({ csvMb, runs });
  const fmt = (v: number | undefined, digits: number): string => (v === undefined ? '-' : v.toFixed(digits));
  console.log(['benchmark'.padEnd(48), 'seconds', 'cpu s', '  MB/s', 'peak RSS MB', 'arrays MB', 'peak/arrays'].join('  '));
  for (const r of results) {
    const ratio = r.peakRssMb !== undefined && r.arraysMb ? r.peakRssMb / r.arraysMb : undefined;
    console.log(
      [
        r.name.padEnd(48),
        fmt(r.seconds, 3).padStart(7),
        fmt(r.cpuSeconds, 2).padStart(5),
        fmt(r.mbPerSec, 1).padStart(6),
        fmt(r.peakRssMb, 0).padStart(11),
        fmt(r.arraysMb, 0).padStart(9),
        fmt(ratio, 2).padStart(11),
      ].join('  '),
    );
  }
  console.log('peak RSS: sampled process.memoryUsage.rss() every 5 ms in this process, minus the RSS before the load (after a GC).');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
