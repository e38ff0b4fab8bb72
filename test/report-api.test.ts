/**
 * The Export tab's "Save report" on the real back end (AppServices, as the app and ablate serve
 * run it): after a small experiment trains, exportReport returns the one-file report whose
 * results table shows the same numbers as the Compare tab's comparison (compare), to 4
 * significant digits, with the curve summaries and every figure.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvent, Comparison } from '../src/shared/api.js';
import { spiralSpec } from './helpers/experiments.js';
import { callApi, testServices, WORKER_PATH as workerPath } from './helpers/app-services.js';

describe.skipIf(!existsSync(workerPath))('exportReport', () => {
  it("returns the report with the Compare tab's numbers", { timeout: 300_000 }, async () => {
    const services = testServices(path.join(mkdtempSync(path.join(tmpdir(), 'ablate-report-api-')), 'store'), { poolSize: 2 });
    const events: ApiEvent[] = [];
    services.onEvent((e) => events.push(e));
    const call = <T>(method: string, ...args: unknown[]) => callApi<T>(services, method, ...args);
    try {
      const { experimentId } = await call<{ experimentId: string }>('startExperiment', spiralSpec('report from the app'));
      while (!events.some((e) => e.type === 'experiment-finished')) await new Promise((r) => setTimeout(r, 20));
      const report = await call<{ fileName: string; text: string }>('exportReport', experimentId);
      const cmp = await call<Comparison>('compare', experimentId, null);
      expect(report.fileName).toBe(`${experimentId}.report.html`);
      expect(report.text).toContain('<title>report from the app: Ablate report</title>');
      const sig = (v: number | null) => String(Number(v!.toPrecision(4)));
      for (const v of cmp.variants) {
        const iv = v.metrics['weights.valLoss'];
        expect(report.text).toContain(`${sig(iv.mean)} [${sig(iv.lower)}, ${sig(iv.upper)}]`);
        const area = v.metrics['curve.valLossArea'];
        expect(report.text).toContain(`${sig(area.mean)} [${sig(area.lower)}, ${sig(area.upper)}]`);
      }
      // 8 figures of curves and diagnostics, 4 of what the units learned (2-D data: 2 variants' unit responses, the run grid, the disagreement).
      expect(report.text.match(/<figure>/g)).toHaveLength(12);
      await expect(services.invoke('exportReport', ['no-such-experiment'])).resolves.toMatchObject({ ok: false });
    } finally {
      await services.dispose();
    }
  });
});
