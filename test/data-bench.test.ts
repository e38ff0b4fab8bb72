/**
 * The data benchmark runs end to end on a small CSV and cleans up its temporary file. (The full
 * 100 MB figures come from `npx tsx scripts/bench-data.ts`; this only checks the harness.)
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchData, FASHION_DIR } from '../src/bench/data.js';

describe('benchData', () => {
  it('measures a generated CSV (and Fashion-MNIST when present) and deletes the CSV', async () => {
    const results = await benchData({ csvMb: 3, runs: 1, embeddedDir: path.join(os.tmpdir(), 'no-mnist-here') });
    const csv = results.find((r) => r.name.startsWith('csv '));
    expect(csv?.name).toBe('csv 3 MB numeric (20 features + class)');
    expect(csv!.seconds).toBeGreaterThan(0);
    expect(csv!.mbPerSec).toBeGreaterThan(0);
    expect(csv!.arraysMb).toBeGreaterThan(1);
    expect(csv!.peakRssMb).toBeGreaterThanOrEqual(0);
    expect(existsSync(path.join(os.tmpdir(), `ablate-bench-${process.pid}.csv`))).toBe(false);
    if (existsSync(FASHION_DIR)) {
      const fashion = results.find((r) => r.name.startsWith('fashion-mnist'));
      expect(fashion!.seconds).toBeGreaterThan(0);
      expect(fashion!.arraysMb).toBeCloseTo((60000 * 785 * 4) / 1e6, 3);
    }
  });
});
