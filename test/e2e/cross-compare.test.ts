/**
 * End-to-end, issue 20 item 5 in the browser: two small spiral experiments trained by `ablate run`
 * (relu vs tanh at seeds 1-3; two learning rates at seeds 2-4) and a third on noisier data, in a
 * store `ablate serve` serves, read in headless Chromium. "Compare across experiments…" in the
 * sidebar: pick relu from the first and lr 0.003 from the second; the table shows both with n = 3
 * per cell, the difference paired over the 2 shared seeds with the mean difference of the runs'
 * summary.json files (in the CSV copy too, with its 2 pairs), and the curves plot is drawn. Picking the noisier experiment instead gives
 * the service's refusal, naming the field that differs. Then relu against a fourth experiment at
 * seeds 7 and 8: Welch's unpaired difference (its mean by hand), labelled, in the Markdown copy
 * with the lettered reasons of empty cells; the curves' panels, each seed's line on demand, a
 * variant hidden, and the labels of what cannot carry over. Neither the view nor the dialog has a
 * serious or critical axe violation. Skipped (with a reason) when
 * ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spiralSpec } from '../helpers/experiments.js';
import { seriousViolations } from './axe.js';
import { SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const shots = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const SLOW = { timeout: 120_000 };
const TRAIN = { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } };

let workbench: ServedWorkbench;
let dir: string;
let store: string;

function run(name: string, extra: Record<string, unknown>): string {
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(spiralSpec(name, { train: TRAIN, ...extra })));
  const r = spawnSync(process.execPath, [bin, 'run', file, '--out', store, '--json', '--workers', '2'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).experimentId;
}

/** best.valLoss by seed of one variant, from its runs' summary.json files. */
function bestValLoss(experimentId: string, variantId: string): Map<number, number> {
  const out = new Map<number, number>();
  const runs = path.join(store, experimentId, 'runs');
  for (const r of readdirSync(runs)) {
    const s = JSON.parse(readFileSync(path.join(runs, r, 'summary.json'), 'utf8'));
    if (s.variantId === variantId) out.set(s.seed, s.best.valLoss);
  }
  return out;
}

/** Opens "Compare across experiments…": the checkbox of an experiment, or of a variant, by id. */
async function openPicker(page: Page) {
  await page.getByTestId('cross-open').click(SLOW);
  const dialog = page.getByTestId('cross-pick');
  await dialog.waitFor(SLOW);
  return {
    experiment: (id: string) => dialog.locator(`[data-testid="cross-experiment"][data-id="${id}"]`),
    variant: (id: string) => dialog.locator(`[data-testid="cross-variant"][data-id="${id}"]`),
  };
}

/** Picks an experiment, whose variants come picked with it, then unpicks one of them. */
async function pickAllBut(picker: Awaited<ReturnType<typeof openPicker>>, experimentId: string, variantId: string) {
  await picker.experiment(experimentId).check();
  await picker.variant(`${experimentId}/${variantId}`).waitFor(SLOW);
  await picker.variant(`${experimentId}/${variantId}`).uncheck();
}

/** "Compare": the view, once it shows a table of two rows. */
async function compareTwo(page: Page) {
  await page.getByTestId('cross-run').click();
  const view = page.getByTestId('cross-view');
  await view.waitFor(SLOW);
  const rows = page.getByTestId('cross-row');
  await expect.poll(() => rows.count(), SLOW).toBe(2);
  return { view, rows };
}

/** The second row's cell of best val. loss, its column turned on first if it is off. */
async function bestValLossCell(page: Page, view: Locator, rows: Locator): Promise<Locator> {
  const chip = view.getByLabel('Best val. loss', { exact: true });
  if (!(await chip.isChecked())) await chip.check();
  const column = await page.locator('[data-testid="cross-table"] thead th').allInnerTexts();
  const col = column.findIndex((t) => /best val\. loss/i.test(t));
  expect(col, `columns: ${column.join(' | ')}`).toBeGreaterThan(0);
  return rows
    .nth(1)
    .locator('td')
    .nth(col - 1);
}

let a: string;
let b: string;
let noisy: string;
let far: string;

describe.skipIf(SKIP_BROWSER)('comparing across experiments in a browser, on the real services', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-cross-'));
    store = path.join(dir, 'store');
    a = run('Activations', { seeds: [1, 2, 3] });
    b = run('Learning rates', { compare: { lr: [0.01, 0.003] }, seeds: [2, 3, 4] });
    noisy = run('Noisy spiral', { data: { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, noise: 0.2, seed: 1 }, seeds: [1, 2] });
    far = run('Other seeds', { compare: undefined, seeds: [7, 8] });
    workbench = await startWorkbench([store, '--port', '0', '--workers', '2'], dir);
  }, 600_000);
  afterAll(async () => {
    await workbench?.close();
  });

  it('picks variants from two experiments, shows the paired table and curves, and refuses other data', async () => {
    const { page, errors } = await workbench.openApp();
    const picker = await openPicker(page);
    const { experiment, variant } = picker;
    expect(await page.getByTestId('cross-run').isDisabled()).toBe(true);

    await pickAllBut(picker, a, 'activation=tanh');
    await pickAllBut(picker, b, 'lr=0.01');
    expect(await page.getByTestId('cross-count').innerText()).toBe('2 experiments, 2 variants picked');
    const { view, rows } = await compareTwo(page);
    expect(await rows.nth(0).locator('th').innerText()).toMatch(/Activations: relu\s+baseline/);
    expect(await rows.nth(1).locator('th').innerText()).toMatch(/Learning rates: lr 0\.003/);
    expect(await page.getByTestId('cross-experiments').innerText()).toMatch(/seeds 1, 2, 3[\s\S]*seeds 2, 3, 4/);
    // n per cell: each variant ran 3 seeds; every cell of both rows says so.
    const ns = await page.getByTestId('cross-cell-n').allInnerTexts();
    expect(ns.length).toBeGreaterThan(0);
    expect(new Set(ns)).toEqual(new Set(['n = 3']));
    // The difference of best.valLoss, by hand over the seeds both experiments ran (2 and 3).
    const base = bestValLoss(a, 'activation=relu');
    const other = bestValLoss(b, 'lr=0.003');
    const diff = ([2, 3].map((s) => other.get(s)! - base.get(s)!).reduce((x, y) => x + y, 0) / 2).toFixed(3);
    const text = await (await bestValLossCell(page, view, rows)).innerText();
    const shown = /Δ ([+−-]?[0-9.]+)/.exec(text)![1].replace('−', '-');
    expect(Number(shown)).toBeCloseTo(Number(diff), 3);
    expect(text).toMatch(/paired over 2 seeds/);
    // The table as CSV: the difference's raw mean and its 2 seed pairs.
    await view.getByTestId('copy-csv').click();
    const csv = (await page.getByTestId('table-copy-text').locator('textarea').inputValue()).trim().split('\n');
    const head = csv[0].split(',');
    const row = csv.find((l) => l.startsWith(`${b}/lr=0.003,`))!.split(',');
    expect(Number(row[head.indexOf('diff_best.valLoss_mean')])).toBeCloseTo(Number(diff), 3);
    expect(row[head.indexOf('diff_best.valLoss_n')]).toBe('2');
    expect(row[head.indexOf('best.valLoss_n')]).toBe('3');
    await page.keyboard.press('Escape');
    await page.getByTestId('table-copy-dialog').waitFor({ state: 'hidden', ...SLOW });
    await page.getByTestId('plot-cross-curves').locator('.main-svg').first().waitFor(SLOW);
    await page.screenshot({ path: path.join(shots, 'cross-compare.png') });
    expect(await seriousViolations(page), 'the comparison view').toEqual([]);

    // Other data: the service's refusal, in the dialog, naming the field.
    await page.getByTestId('cross-change').click();
    await experiment(b).uncheck();
    await experiment(noisy).check();
    await variant(`${noisy}/activation=relu`).waitFor(SLOW);
    await page.getByTestId('cross-run').click();
    const refusal = page.getByTestId('cross-error');
    await refusal.waitFor(SLOW);
    expect(await seriousViolations(page), 'the picking dialog').toEqual([]);
    expect(await refusal.innerText()).toBe(
      `${noisy} was trained on other data than ${a} (data.noise differ); ` +
        'runs are only compared on the same data: the same source, fields, split and preprocessing',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("gives Welch's difference where no seed is shared, says why cells are empty in the copies, and draws the curves as Compare does", async () => {
    const { page, errors } = await workbench.openApp();
    const picker = await openPicker(page);
    await pickAllBut(picker, a, 'activation=tanh');
    await picker.experiment(far).check();
    await picker.variant(`${far}/base`).waitFor(SLOW);
    const { view, rows } = await compareTwo(page);

    // Seeds 7 and 8 against 1, 2, 3: the difference of the means by hand, marked Welch, with its seeds.
    const base = [...bestValLoss(a, 'activation=relu').values()];
    const other = [...bestValLoss(far, 'base').values()];
    const avg = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const diff = avg(other) - avg(base);
    const cell = await bestValLossCell(page, view, rows);
    const text = await cell.innerText();
    expect(Number(/Δ ([+−-]?[0-9.]+)/.exec(text)![1].replace('−', '-'))).toBeCloseTo(diff, 3);
    expect(text).toMatch(/\] \(Welch\)/);
    expect(text).toMatch(/Welch's p = [<0-9.]+, Holm/);
    expect(text).toMatch(/not paired \(no seed shared\): Welch, 2 vs 3 seeds, df [0-9.]+/);
    expect(await cell.locator('[data-testid="cross-diff"]').getAttribute('data-test')).toBe('welch');
    // The validation curves' summaries are among the columns, "epochs to target" with one target for both.
    await view.getByLabel('Epochs to target', { exact: true }).check();
    expect(await page.getByTestId('cross-curve-target').innerText()).toMatch(/One target for every experiment\.$/);

    // Markdown: the Welch cell labelled, the baseline's empty cells lettered, the legend under the table.
    await view.getByTestId('copy-md').click();
    const md = await page.getByTestId('table-copy-text').locator('textarea').inputValue();
    expect(md).toMatch(/\| Activations: relu \(baseline\) \|.*\| — \(a\) \|/);
    expect(md).toMatch(/unpaired \(Welch\), n = 2 vs 3, df = [0-9.]+/);
    expect(md).toContain('- (a) the baseline: the differences are to this row');
    expect(md).toMatch(
      /- \([b-z]\) unpaired: no seed in common with the baseline, so the difference of the two means with Welch's t-interval/,
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('table-copy-dialog').waitFor({ state: 'hidden', ...SLOW });

    // Curves: one panel per variant, each seed's line on demand, a variant hidden from the plots.
    const panels = view.getByTestId('small-multiple');
    await expect.poll(() => panels.count(), SLOW).toBe(2);
    const overlay = page.getByTestId('plot-cross-curves');
    await overlay.locator('.main-svg').first().waitFor(SLOW);
    const traces = () => overlay.locator('.scatterlayer .trace').count();
    const before = await traces();
    await view.getByTestId('seeds-picker').getByText('each seed').click();
    // Five seeds' lines (3 + 2) join the two means and their markers.
    await expect.poll(traces, SLOW).toBeGreaterThanOrEqual(before + 5 - 2);
    expect(await view.locator('h3', { hasText: 'Per variant' }).innerText()).toMatch(/each of 5 seeds/);
    await view.getByTestId('variant-visibility').nth(1).click();
    await expect.poll(() => panels.count(), SLOW).toBe(1);
    expect(await view.getByTestId('variants-hidden').innerText()).toBe('1 of 2 hidden from the plots');
    // What does not carry over across experiments is said, not left out silently.
    expect((await view.getByTestId('cross-curve-limit').allInnerTexts()).join(' ')).toMatch(/per-layer diagnostics/);
    await view.getByTestId('x-axis-picker').getByText('step').click();
    await expect
      .poll(async () => (await view.getByTestId('cross-curve-limit').allInnerTexts()).join(' '), SLOW)
      .toMatch(/Training loss per epoch/);
    await page.screenshot({ path: path.join(shots, 'cross-compare-welch.png') });
    expect(await seriousViolations(page), 'the comparison view with Welch and curves').toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
