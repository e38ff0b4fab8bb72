/**
 * End-to-end, issue 21's residual projection P in Compare's per-layer curves: a spiral network
 * 2 -> 16 -> 16 -> 8, every hidden layer residual (P at hidden.0 and hidden.2, where the width
 * changes; hidden.1 adds its input as it is), relu vs tanh at seeds 1 and 2, trained by `ablate run`
 * and read on `ablate serve` in headless Chromium. The metric picker offers "Gradient norm ·
 * hidden.0 · P" (and hidden.2's, not hidden.1's), and choosing it draws, per variant, the mean over
 * its runs of P's gradient norm at each logged step, as the runs' metrics.ndjson files hold it.
 * Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spiralSpec } from '../helpers/experiments.js';
import { SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const SLOW = { timeout: 120_000 };

let workbench: ServedWorkbench;
let experiment: { experimentId: string; dir: string };

/** Per step, P's gradient norm of hidden layer `layer` averaged over the variant's runs (read from metrics.ndjson). */
function meanProjectionNorm(variantId: string, layer: number): Map<number, number> {
  const sums = new Map<number, number[]>();
  const runs = path.join(experiment.dir, 'runs');
  for (const r of readdirSync(runs)) {
    if (JSON.parse(readFileSync(path.join(runs, r, 'summary.json'), 'utf8')).variantId !== variantId) continue;
    for (const line of readFileSync(path.join(runs, r, 'metrics.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)) {
      const rec = JSON.parse(line);
      if (rec.kind !== 'diag') continue;
      sums.set(rec.step, [...(sums.get(rec.step) ?? []), rec.layers[layer].projection.gradNorm]);
    }
  }
  return new Map([...sums].map(([step, v]) => [step, v.reduce((a, b) => a + b, 0) / v.length]));
}

describe.skipIf(SKIP_BROWSER)("Compare's per-layer curves of a residual projection P", () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-projection-'));
    const spec = spiralSpec('Residual projections', {
      seeds: [1, 2],
      train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    });
    spec.model.hidden = [16, 16, 8].map((width) => ({ width, activation: 'relu', residual: true }));
    writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
    const store = path.join(dir, 'store');
    const r = spawnSync(process.execPath, [bin, 'run', path.join(dir, 'spec.json'), '--out', store, '--json', '--workers', '2'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) throw new Error(`ablate run failed: ${r.stderr}`);
    experiment = JSON.parse(r.stdout);
    workbench = await startWorkbench([store, '--port', '0', '--workers', '2'], dir);
  }, 600_000);
  afterAll(async () => {
    await workbench?.close();
  });

  it('offers P after its layer and draws the mean of its gradient norm over the runs', { timeout: 300_000 }, async () => {
    const { page, errors } = await workbench.openApp();
    await page.locator(`[data-testid="experiment-item"][data-id="${experiment.experimentId}"]`).click(SLOW);
    await page.getByTestId('tab-compare').click(SLOW);
    const picker = page.getByTestId('metric-picker');
    await picker.waitFor(SLOW);
    const options = picker.locator('optgroup[label="Gradient norm"] option');
    expect(await options.evaluateAll((os) => os.map((o) => o.getAttribute('value')))).toEqual([
      'diag:gradNorm:0',
      'diag:gradNorm:0:P',
      'diag:gradNorm:1',
      'diag:gradNorm:2',
      'diag:gradNorm:2:P',
      'diag:gradNorm:3',
    ]);
    await picker.selectOption('diag:gradNorm:0:P');
    // Named as gradient flow names them once the runs' diagnostics are loaded (the layers' stored names).
    await expect
      .poll(async () => (await options.allTextContents()).map((l) => l.trim()), SLOW)
      .toEqual([
        'Gradient norm · hidden.0',
        'Gradient norm · hidden.0 · P',
        'Gradient norm · hidden.1',
        'Gradient norm · hidden.2',
        'Gradient norm · hidden.2 · P',
        'Gradient norm · output',
      ]);

    const overlay = page.getByTestId('plot-overlay');
    const traces = () =>
      overlay.evaluate((el) =>
        ((el.querySelector('.js-plotly-plot') as unknown as { data?: Array<{ name?: string; x: number[]; y: number[] }> }).data ?? [])
          .filter((t) => t.name?.endsWith(' · validation'))
          .map((t) => ({ name: t.name!, x: [...t.x], y: [...t.y] })),
      );
    // The feed reads one seed of each variant first and draws before the rest are read, so a
    // drawn trace may still be a one-seed mean: wait until both traces hold every seed's steps
    // and the mean over all seeds (worst relative error), then check each point.
    const worst = async () => {
      const ts = await traces();
      if (ts.filter((t) => t.x.length > 0).length !== 2) return Infinity;
      let err = 0;
      for (const t of ts) {
        const expected = meanProjectionNorm(t.name.startsWith('relu') ? 'activation=relu' : 'activation=tanh', 0);
        if (t.x.length !== expected.size) return Infinity;
        for (const [i, step] of t.x.entries()) {
          const e = Math.abs(t.y[i] / (expected.get(step) ?? NaN) - 1);
          err = Math.max(err, Number.isNaN(e) ? Infinity : e);
        }
      }
      return err;
    };
    await expect.poll(worst, SLOW).toBeLessThan(1e-9);
    for (const t of await traces()) {
      const variant = t.name.startsWith('relu') ? 'activation=relu' : 'activation=tanh';
      const expected = meanProjectionNorm(variant, 0);
      expect(t.x).toEqual([...expected.keys()].sort((a, b) => a - b));
      t.x.forEach((step, i) => expect(t.y[i] / expected.get(step)! - 1).toBeCloseTo(0, 9));
    }
    // The y axis of the small multiples names it as the picker does.
    expect(await page.getByTestId('plot-small-multiples').locator('.y-title').innerText()).toBe('Gradient norm · hidden.0 · P');
    expect(errors).toEqual([]);
    await page.close();
  });
});
