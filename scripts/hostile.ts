/**
 * The reliability suite (`npm run test:hostile`, README "Testing"): the hostile corpus of issue 14
 * through the real CLI, each case under a memory and time watchdog (hostile-harness.ts), then a
 * table: case, outcome, peak RSS, time. Exit 1 when any case fails or passes its budget.
 * Data files are generated at full size (a 3.9 MB gzip claiming 3.9 GB, a 4.8 GB labels gzip, a
 * 1 GB CSV line) into the temp folder and removed at the end; nothing big is committed.
 * Run: npm run test:hostile [-- --only data,crash]   (groups: data, experiment, flags, store, crash, concurrency)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatTable } from '../src/services/text-table.js';
import { writeHostileData, type HostileFile } from '../test/fixtures/data/hostile.js';
import { hostileCases } from './hostile-cases.js';
import { CaseContext, fmtBytes, type Budget } from './hostile-harness.js';

/**
 * Every case: at most 1.5 GiB resident (any one process) and 5 minutes (all its processes), or 60 s
 * for a single bad file or flag, which must be refused at once: at least 5x its quiet time.
 */
const BUDGET: Budget = { memoryBytes: 1.5 * 1024 ** 3, timeMs: 300_000 };

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
const dataDir = mkdtempSync(path.join(tmpdir(), 'ablate-hostile-data-'));
let files: Promise<HostileFile[]> | null = null;
const cases = hostileCases({ dir: dataDir, files: () => (files ??= writeHostileData(dataDir, 'full')) }).filter(
  (c) => only === null || only.includes(c.group),
);

const rows: string[][] = [];
let failed = 0;
try {
  if (only === null || only.includes('data')) {
    const t0 = Date.now();
    await (files ??= writeHostileData(dataDir, 'full'));
    console.error(`generated the full-size hostile data files in ${((Date.now() - t0) / 1000).toFixed(1)} s (not counted below)`);
  }
  for (const c of cases) {
    const ctx = new CaseContext({ ...BUDGET, timeMs: c.timeMs ?? BUDGET.timeMs });
    let outcome: string;
    try {
      outcome = `ok: ${await c.run(ctx)}`;
    } catch (err) {
      failed++;
      outcome = `FAIL: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      ctx.cleanup();
    }
    const secs = (Date.now() - ctx.started) / 1000;
    outcome = outcome.replace(/[^\x20-\x7e]/g, '?'); // a message may quote the binary file it refuses
    rows.push([c.name, outcome.length > 110 ? outcome.slice(0, 107) + '...' : outcome, fmtBytes(ctx.peakRss), `${secs.toFixed(1)} s`]);
    console.error(`${outcome.startsWith('ok') ? 'ok  ' : 'FAIL'} ${c.name} (${fmtBytes(ctx.peakRss)}, ${secs.toFixed(1)} s)`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(formatTable(['case', 'outcome', 'peak RSS', 'time'], rows));
console.log(
  `\n${rows.length - failed}/${rows.length} cases passed; budget per case: ${fmtBytes(BUDGET.memoryBytes)} resident, ` +
    `${BUDGET.timeMs / 1000} s (60 s for a single file or flag)` +
    " (peak RSS: the largest of the case's processes, workers included)",
);
process.exitCode = failed > 0 ? 1 : 0;
