/**
 * Compare > "What units learned" in Chromium, served by a real `ablate serve` on a store filled
 * by `ablate run`: a 2-D spiral study (relu vs tanh, two seeds) shows each variant's unit
 * response maps for the chosen seed, the class map of all four runs and where they disagree; an
 * MNIST study shows the first layer's units as images with the shared colour range and dead
 * counts; each says which epoch's weights are stored. Skipped (with a reason) when
 * ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spiralSpec } from '../helpers/experiments.js';
import { SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const ablate = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 600_000 });

let workbench: ServedWorkbench;
let dir: string;

async function openLearned(page: Page, name: string): Promise<void> {
  await page.getByTestId('experiment-item').filter({ hasText: name }).first().click();
  await page.getByTestId('tab-compare').click();
  await page.getByTestId('section-learned').click();
}

describe.skipIf(SKIP_BROWSER)('what the units learned, in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ablate-learned-ui-'));
    const store = path.join(dir, 'store');
    const spiral = { ...spiralSpec('units spiral'), seeds: [1, 2] };
    const mnist = {
      version: 1,
      name: 'units mnist',
      data: { source: 'mnist', split: { validation: 0.1, test: 0.1, seed: 0 } },
      model: {
        inputSize: 784,
        hidden: [{ width: 16, activation: 'relu' }],
        outputSize: 10,
        head: 'softmax',
        init: { weights: 'he_uniform', bias: 'zeros' },
      },
      train: { epochs: 1, batchSize: 64, optimizer: { name: 'adam', lr: 0.002 } },
      compare: { init: ['he_uniform', 'glorot_uniform'] },
      seeds: [1],
    };
    for (const [file, spec] of [
      ['spiral.json', spiral],
      ['mnist.json', mnist],
    ] as const) {
      writeFileSync(path.join(dir, file), JSON.stringify(spec));
      const run = ablate(['run', path.join(dir, file), '--out', store, '--json']);
      expect(run.status, run.stderr).toBe(0);
    }
    workbench = await startWorkbench([store, '--port', '0', '--workers', '1'], dir);
  }, 600_000);
  afterAll(async () => {
    await workbench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('2-D data: unit responses per variant, every run boundary and where they disagree', async () => {
    const { page, errors } = await workbench.openApp();
    await openLearned(page, 'units spiral');
    await page.getByTestId('plot-disagreement').locator('.main-svg').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('plot-unit-responses').count()).toBe(2);
    expect(await page.getByTestId('plot-run-grid').count()).toBe(1);
    const meta = await page.getByTestId('learned-meta').allInnerTexts();
    expect(meta).toHaveLength(2);
    for (const m of meta) {
      expect(m).toMatch(/^seed 1 · epoch 8 \(last\) · layers 16 (relu|tanh) · range ±[0-9.e+-]+\. /);
      expect(m).toMatch(
        /The best epoch is the final one \(epoch 8\)|Only the final epoch's weights \(epoch 8\) are stored; the best epoch's \(epoch [1-7]\) are not kept/,
      );
    }
    expect(await page.getByTestId('learned-grid').innerText()).toMatch(/Where the 4 runs disagree/);
    expect(await page.getByTestId('learned-missing').count()).toBe(0);

    await page.getByTestId('seed-picker').selectOption('2');
    await expect
      .poll(async () => (await page.getByTestId('learned-meta').allInnerTexts()).every((m) => m.startsWith('seed 2 ')), { timeout: 60_000 })
      .toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("distributions: the variants' weights and gradients overlaid at one step, on shared bins", async () => {
    const { page, errors } = await workbench.openApp();
    await page.getByTestId('experiment-item').filter({ hasText: 'units spiral' }).first().click();
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('section-distributions').click();
    await page.getByTestId('hist-mode').selectOption('overlay');
    await page.getByTestId('hist-quantity').selectOption('weight');
    await page.getByTestId('hist-layer').selectOption('0');
    const plot = page.getByTestId('plot-distribution-overlay');
    await plot.locator('.main-svg').first().waitFor({ timeout: 60_000 });
    // 300 rows, 70% for training, batches of 32 over 8 epochs: 56 steps, diagnostics at 1 and 50.
    await expect.poll(() => plot.locator('.legendtext').allTextContents(), { timeout: 60_000 }).toHaveLength(2);
    const legend = await plot.locator('.legendtext').allTextContents();
    expect(legend).toEqual(expect.arrayContaining([expect.stringMatching(/relu/), expect.stringMatching(/tanh/)]));
    for (const t of legend) expect(t).toMatch(/ · step 50$/);
    expect(await page.getByTestId('hist-steps').innerText()).toMatch(/nearest 50: .*step 50.*step 50\./);
    // The traces: 40 bins over one symmetric power-of-two range, shares summing to 1 per variant.
    const traces = await plot.evaluate((el) =>
      ((el.querySelector('.js-plotly-plot') as unknown as { data: Array<{ x: number[]; y: number[] }> }).data ?? []).map((d) => ({
        x: d.x,
        y: d.y,
      })),
    );
    expect(traces).toHaveLength(2);
    for (const t of traces) {
      expect(t.x).toHaveLength(41);
      expect(t.x[0]).toBe(-t.x[40]);
      expect(Number.isInteger(Math.log2(t.x[40]))).toBe(true);
      expect(t.y.slice(0, 40).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    await page.getByTestId('hist-step').selectOption('1');
    await expect
      .poll(() => plot.locator('.legendtext').allTextContents(), { timeout: 60_000 })
      .toEqual(legend.map((t) => t.replace(/50$/, '1')));
    await page.getByTestId('hist-quantity').selectOption('gradient');
    await expect.poll(() => page.getByTestId('hist-steps').innerText(), { timeout: 60_000 }).toMatch(/nearest 1: .*step 1.*step 1\./);
    expect(await plot.locator('.legendtext').count()).toBe(2);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('image data: the first layer units as images, one colour range, dead units counted', async () => {
    const { page, errors } = await workbench.openApp();
    await openLearned(page, 'units mnist');
    await page.getByTestId('plot-unit-images').nth(1).locator('.main-svg').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('plot-unit-images').count()).toBe(2);
    expect(await page.getByTestId('learned-key').innerText()).toMatch(/the same range ±[0-9.]+ for every variant/);
    for (const m of await page.getByTestId('learned-meta').allInnerTexts()) {
      expect(m).toMatch(
        /^seed 1 · epoch 1 \(last\) · 16 units, \d+ dead\. The best epoch is the final one \(epoch 1\): these weights are both\.$/,
      );
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
