/**
 * End-to-end, issue 18.1 and 18.3 (forms and keyboard), in headless Chromium on `ablate serve`:
 * each defect the issue reported, reproduced as the user met it. A width of -8 never reaches the
 * parameter count or the diagram; an error about an old value never stays beside a new one; an
 * empty name does not blank the title; "N problems" and F8 take the focus to the first problem;
 * Ctrl+Enter runs the design and Alt+Shift+digit switches tabs; at 1024x700 the sidebar hides; MNIST shows thumbnails;
 * data factors (issue 20 item 4) have controls of their own, checked against the data, and labelled baselines. Skipped (with a reason) when
 * ABLATE_SKIP_BROWSER_TESTS is set or Chromium is missing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expand, field, launchChromium, openPage, SKIP_BROWSER } from './browser.js';
import { startServe, type ServeProcess } from './serve-process.js';

const SLOW = { timeout: 60_000 };
/** Per test: several waits on a loaded machine. */
const TEST_MS = 400_000;

let serve: ServeProcess;
let browser: Browser;

/** The texts of every error shown on the Design tab. */
const errorTexts = (page: Page) => page.getByTestId('design-tab').getByTestId('field-error').allInnerTexts();

async function newDraft(page: Page) {
  await page.getByTestId('new-experiment').click();
  await page.getByTestId('design-tab').waitFor(SLOW);
  await page.getByTestId('design-status').getByText(/ready/i).waitFor(SLOW);
}

describe.skipIf(SKIP_BROWSER)('forms and keyboard in a browser, on the real services', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-forms-'));
    serve = await startServe([path.join(dir, 'store'), '--port', '0', '--workers', '1'], dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it(
    'New on a default draft validated already says Ready (it used to say "Checking…" for good)',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      // The welcome screen validates the default draft behind the scenes: wait for that answer.
      const asked = new Set<number>();
      let answered = false;
      page.on('websocket', (ws) => {
        ws.on('framesent', (f) => {
          const m = JSON.parse(String(f.payload)) as { id?: number; method?: string };
          if (m.method === 'validateExperiment' && m.id !== undefined) asked.add(m.id);
        });
        ws.on('framereceived', (f) => {
          const m = JSON.parse(String(f.payload)) as { id?: number };
          if (m.id !== undefined && asked.has(m.id)) answered = true;
        });
      });
      await page.reload();
      await page.getByTestId('welcome').waitFor(SLOW);
      await expect.poll(() => answered, SLOW).toBe(true);
      await page.getByTestId('new-experiment').click();
      await page.getByTestId('design-status').getByText(/ready/i).waitFor(SLOW);
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'a negative width reaches neither the parameter count nor the diagram',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await newDraft(page);
      const params = page.getByTestId('param-count');
      expect(await params.innerText()).toMatch(/^\d[\d,]* trainable parameters/);
      await page.getByRole('textbox', { name: 'Layer 1 width', exact: true }).fill('-8');
      await expect.poll(() => params.innerText(), SLOW).toMatch(/^— trainable parameters \(a layer size is not a whole number/);
      const diagram = page.getByTestId('network-diagram');
      expect(await diagram.innerHTML()).not.toMatch(/-8|−8/);
      expect(await diagram.getAttribute('aria-label')).toMatch(/invalid size relu/);
      expect(await diagram.locator('text').evaluateAll((els) => els.map((e) => e.textContent))).toContain('?');
      await expect.poll(() => errorTexts(page), SLOW).toEqual([expect.stringMatching(/-8|at least 1/)]);
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'an error about an old value never stays beside the new one',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await newDraft(page);
      await expand(page, 'training');
      const epochs = field(page, 'Epochs');
      await epochs.fill('-3');
      await expect.poll(() => errorTexts(page), SLOW).toEqual([expect.stringMatching(/-3/)]);
      // Text that is not a number: only the field's own message, not the error about -3.
      await epochs.fill('abc');
      await expect.poll(() => errorTexts(page), SLOW).toEqual([expect.stringMatching(/Enter a number/)]);
      // Another bad value: the -3 error goes at once; the new one names 0.
      await epochs.fill('0');
      const seen = await errorTexts(page);
      expect(seen.join(' ')).not.toMatch(/-3/);
      await expect.poll(() => errorTexts(page), SLOW).toEqual([expect.stringMatching(/\b0\b/)]);
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'an empty name does not blank the title',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await newDraft(page);
      const title = page.getByTestId('experiment-title');
      expect((await title.innerText()).trim()).not.toBe('');
      await field(page, 'Experiment name').fill('');
      await expect.poll(() => title.innerText(), SLOW).toBe('Untitled experiment');
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    '"N problems" and F8 take the focus to the first problem, opening its card',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await newDraft(page);
      await expand(page, 'training');
      await field(page, 'Epochs').fill('-3');
      const jump = page.getByTestId('jump-to-problem');
      await jump.waitFor(SLOW);
      expect(await jump.innerText()).toMatch(/1 problem to fix before running/);
      // Collapse the card: the jump opens it again.
      await page.getByTestId('card-training').locator('button[aria-expanded]').first().click();
      await jump.click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? ''), SLOW).not.toBe('');
      const focusedLabel = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          return el?.labels?.[0]?.textContent?.trim() ?? el?.getAttribute('aria-label') ?? '';
        });
      expect(await focusedLabel()).toBe('Epochs');
      // F8 from another tab comes back to it.
      await page.getByTestId('tab-runs').click();
      await page.keyboard.press('F8');
      await expect.poll(focusedLabel, SLOW).toBe('Epochs');
      expect(await page.getByTestId('tab-design').getAttribute('aria-selected')).toBe('true');
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'the MNIST preview shows digit thumbnails, one per class first, and no absolute path',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await newDraft(page);
      const thumbs = page.getByTestId('data-preview').getByTestId('image-thumbnails');
      await thumbs.waitFor(SLOW);
      expect(await thumbs.locator('canvas').count()).toBe(24);
      const labels = (await thumbs.locator('.label').allInnerTexts()).map((t) => t.replace(/^image labelled\s*/, ''));
      expect(labels.slice(0, 10).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      // Each canvas holds a drawn digit: some ink (dark pixels) and some paper.
      const inked = await thumbs.locator('canvas').evaluateAll((els) =>
        els.map((c) => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let dark = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++;
          return dark > 20 && dark < (d.length / 4) * 0.6;
        }),
      );
      expect(inked).toEqual(Array(24).fill(true));
      expect(await page.getByTestId('data-preview').locator('table').count()).toBe(0);
      const provenance = await page.getByTestId('data-preview').locator('.prov').innerText();
      expect(provenance).not.toMatch(/(^|\s)\/[A-Za-z]/);
      expect(provenance).toMatch(/<built-in>\//);
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'data factors have their own controls: training-set size from the preview, checked, and labelled in the baseline picker',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await newDraft(page);
      await expand(page, 'compare');
      const add = page.getByTestId('add-factor');
      // MNIST (the default draft): 10,000 rows, 10% validation, 10% test: 8,000 training rows.
      const sizeOption = add.locator('option[value="data.trainSize"]');
      await expect.poll(() => sizeOption.isDisabled(), SLOW).toBe(false);
      expect(await add.locator('option[value="data.noise"]').count()).toBe(0); // synthetic data only
      await add.selectOption('data.trainSize');
      const size = page.getByTestId('factor-data.trainSize');
      await size.waitFor(SLOW);
      expect(await size.locator('.chip').allInnerTexts()).toEqual(['1000', '2000', '4000', '8000']);
      const other = size.getByRole('textbox', { name: 'Add Training-set size values' });
      await other.fill('9000');
      await other.press('Enter');
      expect(await size.getByTestId('factor-value-error').innerText()).toBe(
        'Training-set size: "9000" is more than the 8,000 training rows of this data; give at most 8,000.',
      );
      await other.fill('500');
      await other.press('Enter');
      await size.getByRole('button', { name: '500 ✕' }).waitFor(SLOW);
      await add.selectOption('data.preprocess');
      const prep = page.getByTestId('factor-data.preprocess');
      await prep.getByRole('button', { name: 'scale01', exact: true }).click(); // off: none stays
      await expand(page, 'data');
      expect(await page.getByTestId('card-data').innerText()).toContain('Compared (Compare card): each variant uses its own value.');
      await page.getByTestId('design-status').getByText(/ready/i).waitFor(SLOW);
      const baseline = page.getByLabel('Baseline (the others are compared against it)');
      const labels = await baseline.locator('option').allInnerTexts();
      // The default draft compares sigmoid and relu: 2 x 3 x 1 variants.
      expect(labels.slice(1)).toEqual(
        ['sigmoid', 'relu'].flatMap((a) => [1000, 2000, 500].map((n) => `${a} · ${n} train rows · preprocess none`)),
      );
      expect(await page.getByTestId('run-line').innerText()).toMatch(/3 training-set sizes/);
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'at 1024x700 the experiments sidebar can be hidden and shown again',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await page.setViewportSize({ width: 1024, height: 700 });
      await newDraft(page);
      const sidebar = page.getByTestId('sidebar');
      const main = page.locator('main.main');
      const before = (await main.boundingBox())!.width;
      await page.getByTestId('toggle-sidebar').click();
      await expect.poll(() => sidebar.isVisible(), SLOW).toBe(false);
      expect((await main.boundingBox())!.width).toBeGreaterThan(before + 200);
      expect(await page.getByTestId('toggle-sidebar').getAttribute('aria-expanded')).toBe('false');
      await page.getByTestId('toggle-sidebar').click();
      await expect.poll(() => sidebar.isVisible(), SLOW).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );

  it(
    'Alt+Shift+digit switches tabs and Ctrl+Enter runs a valid design',
    async () => {
      const { page, errors } = await openPage(browser, serve.url);
      await newDraft(page);
      await page.getByTestId('data-source').getByText('Synthetic', { exact: false }).click();
      await field(page, 'Rows').fill('200');
      await expand(page, 'training');
      await field(page, 'Epochs').fill('1');
      await page.getByTestId('design-status').getByText(/ready/i).waitFor(SLOW);
      await page.keyboard.press('Alt+Shift+Digit2');
      await expect.poll(() => page.getByTestId('tab-runs').getAttribute('aria-selected'), SLOW).toBe('true');
      await page.keyboard.press('Alt+Shift+Digit1');
      await expect.poll(() => page.getByTestId('tab-design').getAttribute('aria-selected'), SLOW).toBe('true');
      await page.getByTestId('design-status').getByText(/ready/i).waitFor(SLOW);
      await page.keyboard.press('Control+Enter');
      await page.getByTestId('runs-tab').waitFor(SLOW);
      await expect.poll(() => page.getByTestId('run-row').count(), SLOW).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_MS,
  );
});
