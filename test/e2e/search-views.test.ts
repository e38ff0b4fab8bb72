/**
 * End-to-end, issue 20 item 3 in the browser: a random search over the learning rate and the
 * activation (4 trials, 2 seeds) trained by `ablate run` into a store that `ablate serve` then
 * serves, read in headless Chromium: the Compare tab offers "Hyperparameters"; the best trial
 * there is the one with the lowest mean best.valLoss over its seeds, computed here from the runs'
 * summary.json files; the parallel coordinates draw one line per trial, and one per seed on demand;
 * the scatter and the factor importance (its method named) are drawn. And a search with successive
 * halving: its pruned runs read "pruned" in the header and the Runs tab, never done or failed. Skipped (with a reason)
 * when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { halvingSearchSpec, spiralSpec } from '../helpers/experiments.js';
import { SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const shots = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const SLOW = { timeout: 120_000 };

let workbench: ServedWorkbench;
let store: string;
let id: string;
let halvingId: string;

describe.skipIf(SKIP_BROWSER)('hyperparameter views in a browser, on the real services', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-search-'));
    store = path.join(dir, 'store');
    const spec = spiralSpec('Search lr and activation', {
      compare: undefined,
      seeds: [1, 2],
      train: { epochs: 4, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
      search: { method: 'random', trials: 4, seed: 3, space: { lr: { log: [1e-3, 0.1] }, activation: ['relu', 'tanh'] } },
    });
    const file = path.join(dir, 'search.json');
    writeFileSync(file, JSON.stringify(spec));
    const r = spawnSync(process.execPath, [bin, 'run', file, '--out', store, '--json', '--workers', '2'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    id = JSON.parse(r.stdout).experimentId;
    // The planted halving search of test/search-halving-cli.test.ts: 2 of trials 5-8 are pruned.
    const halving = halvingSearchSpec('Halving');
    const hfile = path.join(dir, 'halving.json');
    writeFileSync(hfile, JSON.stringify(halving));
    const h = spawnSync(process.execPath, [bin, 'run', hfile, '--out', store, '--json', '--workers', '2'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    halvingId = JSON.parse(h.stdout).experimentId;
    workbench = await startWorkbench([store, '--port', '0', '--workers', '2'], dir);
  }, 600_000);
  afterAll(async () => {
    await workbench?.close();
  });

  it('shows the best trial, parallel coordinates, the scatter and factor importance', async () => {
    // The best trial by hand: the lowest mean of best.valLoss over its seeds, from the stored summaries.
    const runsDir = path.join(store, id, 'runs');
    const byVariant = new Map<string, number[]>();
    for (const run of readdirSync(runsDir)) {
      const s = JSON.parse(readFileSync(path.join(runsDir, run, 'summary.json'), 'utf8'));
      expect(s.status).toMatch(/completed|early_stopped/);
      byVariant.set(s.variantId, [...(byVariant.get(s.variantId) ?? []), s.best.valLoss]);
    }
    expect(byVariant.size).toBe(4);
    const means = [...byVariant.entries()].map(([v, ys]) => ({ v, mean: ys.reduce((a, b) => a + b, 0) / ys.length }));
    means.sort((a, b) => a.mean - b.mean);
    const bestTrial = Number(/trial=(\d+)/.exec(means[0].v)![1]);

    const { page, errors } = await workbench.openApp();
    const item = page.locator(`[data-testid="experiment-item"][data-id="${id}"]`);
    await item.waitFor(SLOW);
    await item.click();
    await expect.poll(() => page.getByTestId('tab-compare').getAttribute('aria-selected'), SLOW).toBe('true');
    await page.getByTestId('section-search').click();
    await page.getByTestId('search-view').waitFor(SLOW);

    const best = page.getByTestId('search-best');
    expect(await best.innerText()).toMatch(new RegExp(`Best: trial ${bestTrial}\\b`));
    const shown = Number((await page.getByTestId('search-best-value').innerText()).split(' ')[0]);
    expect(shown).toBeCloseTo(Number(means[0].mean.toPrecision(3)), 10);
    expect(await best.innerText()).toMatch(/paired over 2 seeds/);

    await expect.poll(() => page.getByTestId('pc-line').count(), SLOW).toBe(4);
    expect(await page.getByTestId('pc-axis').count()).toBe(3); // lr, activation, the objective
    await page.getByTestId('search-seeds').check();
    await expect.poll(() => page.getByTestId('pc-line').count(), SLOW).toBe(8);

    await page.getByTestId('plot-search-scatter').locator('.main-svg').first().waitFor(SLOW);
    const importance = page.getByTestId('plot-search-importance');
    await importance.locator('.main-svg').first().waitFor(SLOW);
    expect(await page.getByTestId('search-view').innerText()).toMatch(/correlation ratio \(eta squared/);
    expect(await page.getByTestId('search-importance-table').locator('tbody tr').count()).toBe(2);
    await page.screenshot({ path: path.join(shots, 'search-views.png') });
    await page.getByTestId('plot-search-scatter').screenshot({ path: path.join(shots, 'search-scatter.png') });
    await importance.screenshot({ path: path.join(shots, 'search-importance.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows pruned runs as pruned, neither done nor failed', async () => {
    const pruned = readdirSync(path.join(store, halvingId, 'runs'))
      .map((run) => JSON.parse(readFileSync(path.join(store, halvingId, 'runs', run, 'summary.json'), 'utf8')).status)
      .filter((s) => s === 'pruned').length;
    expect(pruned).toBeGreaterThan(0);
    const { page, errors } = await workbench.openApp();
    const item = page.locator(`[data-testid="experiment-item"][data-id="${halvingId}"]`);
    await item.waitFor(SLOW);
    await item.click();
    await expect.poll(() => page.getByTestId('header-counts').innerText(), SLOW).toBe(`8 runs: ${8 - pruned} done, ${pruned} pruned`);
    await page.getByTestId('tab-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count(), SLOW).toBe(8);
    const statuses = await page.getByTestId('run-status').allInnerTexts();
    expect(statuses.filter((t) => /pruned after epoch 1 \(successive halving\)/.test(t))).toHaveLength(pruned);
    expect(statuses.filter((t) => /failed|diverged/.test(t))).toHaveLength(0);
    await page.screenshot({ path: path.join(shots, 'runs-pruned.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
