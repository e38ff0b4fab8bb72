/**
 * End-to-end, issue 13 in the browser: the spiral of the first symptom (SGD at lr 500, 3 seeds)
 * trained on the real services, then read as a user would: every run says "diverged at step N" in
 * red with a bar that is not full, the sidebar and the header count 6 diverged, the Compare legend
 * and the results table name them, and the results table of a healthy experiment stays in range
 * with n per cell. Started through the services (the design form is the workbench test's), shown
 * in headless Chromium. Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium
 * is not installed.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = Boolean(process.env.ABLATE_SKIP_BROWSER_TESTS) || !existsSync(CHROMIUM);
const shots = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

let harness: Harness;
let browser: Browser;

const spiral = (name: string, lr: number) => ({
  version: 1,
  name,
  data: { source: 'synthetic', kind: 'spiral', n: 600, classes: 3, noise: 0.1, seed: 1 },
  model: {
    inputSize: 2,
    hidden: [
      { width: 32, activation: 'relu' },
      { width: 32, activation: 'relu' },
    ],
    outputSize: 3,
    head: 'softmax',
    init: { weights: 'he_uniform', bias: 'zeros' },
  },
  train: { epochs: 20, batchSize: 32, optimizer: { name: 'sgd', lr } },
  compare: { activation: ['relu', 'sigmoid'] },
  seeds: { count: 3 },
});

async function startAndWait(spec: unknown): Promise<string> {
  const r = await harness.services.invoke('startExperiment', [spec]);
  if (!r.ok) throw new Error(r.error);
  const { experimentId } = r.value as { experimentId: string };
  for (;;) {
    const v = await harness.services.invoke('loadExperiment', [experimentId]);
    if (v.ok && !(v.value as { running: boolean }).running) return experimentId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openApp(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript({ content: harness.clientScript });
  await page.goto(harness.url);
  return { page, errors };
}

describe.skipIf(skip)('run health and honest statistics in a browser, on the real services', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    harness = await startHarness(path.join(mkdtempSync(path.join(tmpdir(), 'ablate-e2e-health-')), 'store'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('an exploding spiral is diverged everywhere, in red, never a full bar', async () => {
    const id = await startAndWait(spiral('Spiral at lr 500', 500));
    const { page, errors } = await openApp();
    const item = page.locator(`[data-testid="experiment-item"][data-id="${id}"]`);
    await item.waitFor();
    expect(await item.innerText()).toMatch(/0\/6 runs finished|6\/6 runs finished/);
    expect(await item.locator('.part.bad').innerText()).toMatch(/6 diverged/);
    await item.click();
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('runs-tab').waitFor();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(6);
    const statuses = await page.getByTestId('run-status').allInnerTexts();
    for (const s of statuses) expect(s).toMatch(/diverged at step \d+/);
    const rows = page.getByTestId('run-row');
    expect(await rows.evaluateAll((els) => els.map((e) => e.className))).toEqual(Array(6).fill(expect.stringMatching(/\bbad\b/)));
    const bars = await rows.getByRole('progressbar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-valuenow'))));
    for (const b of bars) expect(b).toBeLessThan(100);
    expect(await page.getByTestId('header-counts').innerText()).toBe('6 runs: 6 diverged');
    expect(await page.getByTestId('header-counts').locator('.part.bad').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'runs-diverged.png') });

    await page.getByTestId('tab-compare').click();
    await page.getByTestId('variant-legend').waitFor();
    expect(await page.getByTestId('legend-trouble').allInnerTexts()).toEqual(['3 diverged', '3 diverged']);
    await page.getByTestId('section-results').click();
    const table = page.getByTestId('results-table');
    await table.waitFor();
    expect(await table.innerText()).toMatch(/3 diverged[\s\S]*3 diverged/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a healthy comparison: intervals in range, n per cell, Holm, seed advice', async () => {
    const id = await startAndWait(spiral('Spiral at lr 0.05', 0.05));
    const { page, errors } = await openApp();
    await page.locator(`[data-testid="experiment-item"][data-id="${id}"]`).click();
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('section-results').click();
    await page.getByTestId('results-table').waitFor();
    await expect.poll(() => page.getByTestId('results-row').count()).toBe(2);
    const n = await page.getByTestId('cell-n').allInnerTexts();
    expect(n.length).toBeGreaterThan(0);
    for (const text of n) expect(text).toBe('n = 3');
    const cells = await page.getByTestId('results-row').locator('.mean').allInnerTexts();
    for (const cell of cells) {
      const bounds = [...cell.matchAll(/(−?[\d.]+)%/g)].map((m) => Number(m[1].replace('−', '-')));
      for (const b of bounds) expect(b >= 0 && b <= 100).toBe(true);
    }
    expect(await page.getByTestId('cell-test').first().innerText()).toMatch(/p = [\d.<]+, Holm [\d.<]+, dz = /);
    await page.getByTestId('seed-advice').waitFor();
    expect(await page.getByTestId('advice-row').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'results-bounded.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
