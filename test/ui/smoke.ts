/**
 * A quick interaction check of the built renderer against the fake Api (no Electron):
 *   npx electron-vite build && npx tsx test/ui/smoke.ts
 * Keyboard tabs, inline errors disabling Run, the JSON view, starting a run, hover highlight,
 * zoom sync between plots, table copy, figure/metrics/ONNX export. Exits non-zero on a failure
 * or on any console error (CSP violations included).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.js';
import { fakeApiScript, serveRenderer } from './serve.js';

type Saved = Array<{ name: string; content: string; encoding: string }>;
const saved = (page: Page) => page.evaluate(() => (window as unknown as { __ablateFake: { saved: Saved } }).__ablateFake.saved);

function check(cond: unknown, what: string): void {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`  ok  ${what}`);
}

async function main() {
  const server = await serveRenderer();
  const fake = await fakeApiScript();
  const browser = await launchChromium();
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript({ content: fake });
    await page.goto(server.url);

    // Opens on the latest experiment; tabs move with the arrow keys.
    await page.getByTestId('run-row').first().waitFor();
    check((await page.getByTestId('tab-runs').getAttribute('aria-selected')) === 'true', 'opens the running experiment on the Runs tab');
    await page.getByTestId('tab-runs').focus();
    await page.keyboard.press('ArrowRight');
    check((await page.getByTestId('tab-compare').getAttribute('aria-selected')) === 'true', 'ArrowRight selects the next tab');
    check(await page.getByTestId('tab-compare').evaluate((el) => el === document.activeElement), 'and moves focus to it');
    await page.keyboard.press('Home');
    check((await page.getByTestId('tab-design').getAttribute('aria-selected')) === 'true', 'Home selects the first tab');

    // Inline errors before anything runs; Run is disabled while there are errors.
    await page.getByTestId('new-experiment').click();
    await page.getByLabel('Layer 1 dropout').fill('1.5');
    await page.getByText('Layer 1 dropout must be at least 0 and below 1, got 1.5').waitFor();
    check(true, 'dropout 1.5 shows "Layer 1 dropout must be at least 0 and below 1, got 1.5" under the layer');
    check(await page.getByTestId('run-experiment').isDisabled(), 'Run is disabled while there are errors');
    await page.getByLabel('Layer 1 dropout').fill('0.2');
    await page.getByTestId('design-status').getByText('Ready to run').waitFor();
    check(await page.getByTestId('run-experiment').isEnabled(), 'Run is enabled again once fixed');

    // The JSON is the form's state.
    await page.getByTestId('view-json').click();
    const json = await page.getByTestId('json-text').inputValue();
    check(JSON.parse(json).model.hidden[0].dropout === 0.2, 'the JSON view shows the edited dropout');
    await page.keyboard.press('Escape');

    // Run it: the Runs tab shows its rows.
    await page.getByTestId('run-experiment').click();
    await page.getByTestId('runs-tab').waitFor();
    check((await page.getByTestId('run-row').count()) === 6, 'running the draft lists 2 variants x 3 seeds');

    // Compare: hover highlight and zoom sync.
    await page.getByTestId('experiment-item').filter({ hasText: 'Why ReLU' }).click();
    await page.getByTestId('tab-compare').click();
    // The overlay drawn with its lines (the small multiples are a plot per variant, drawn apart).
    await page.waitForFunction(
      () => ((document.querySelector('[data-testid=plot-overlay] .js-plotly-plot') as { data?: unknown[] } | null)?.data ?? []).length > 0,
      null,
      { timeout: 20000 },
    );
    await page.waitForTimeout(500);
    const overlay = page.getByTestId('plot-overlay').locator('.nsewdrag').first();
    const box = await overlay.boundingBox();
    if (!box) throw new Error('no overlay drag area');
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    // Each plot redraws in a frame of its own, within the page's draw budget.
    await page.waitForTimeout(2000);
    const ranges = await page.evaluate(() =>
      ['plot-overlay', 'plot-small-multiples'].map((id) => {
        const gd = document.querySelector(`[data-testid="${id}"] .js-plotly-plot`) as unknown as {
          _fullLayout: { xaxis: { range: number[] } };
        };
        return gd._fullLayout.xaxis.range.map((v) => Number(v.toFixed(3)));
      }),
    );
    check(
      ranges[0][0] === ranges[1][0] && ranges[0][1] === ranges[1][1],
      `zooming the overlay zooms the small multiples (${JSON.stringify(ranges)})`,
    );

    await page.getByTestId('section-results').click();
    await page.getByTestId('variant-legend').getByRole('button', { name: 'relu', exact: true }).hover();
    check(
      await page
        .locator('[data-testid="results-row"][data-variant-id="activation=relu"]')
        .evaluate((el) => el.classList.contains('hovered')),
      'hovering a legend chip highlights the variant in the table',
    );
    const significant = await page.locator('[data-significant="true"]').count();
    check(significant > 0, `significant differences are highlighted (${significant} cells)`);
    await page.getByTestId('copy-tex').click();
    const tex = await page.getByTestId('table-copy-text').locator('textarea').inputValue();
    check(tex.includes('\\toprule') && tex.includes('relu'), 'the table copies as LaTeX');
    await page.keyboard.press('Escape');

    // Export: SVG and PNG figures, metrics, ONNX.
    await page.getByTestId('tab-export').click();
    await page.getByTestId('export-svg').click();
    await page.waitForFunction(
      () => (window as unknown as { __ablateFake: { saved: Saved } }).__ablateFake.saved.some((f) => f.name.endsWith('.svg')),
      null,
      { timeout: 20000 },
    );
    await page.getByTestId('export-png').click();
    await page.waitForFunction(
      () => (window as unknown as { __ablateFake: { saved: Saved } }).__ablateFake.saved.some((f) => f.name.endsWith('.png')),
      null,
      { timeout: 20000 },
    );
    await page.getByTestId('export-csv').click();
    await page.waitForTimeout(300);
    await page.getByTestId('export-report').click();
    await page.waitForFunction(
      () => (window as unknown as { __ablateFake: { saved: Saved } }).__ablateFake.saved.some((f) => f.name.endsWith('.report.html')),
      null,
      { timeout: 20000 },
    );
    const files = await saved(page);
    const svg = files.find((f) => f.name.endsWith('.svg'));
    const png = files.find((f) => f.name.endsWith('.png'));
    check(
      svg && svg.encoding === 'utf8' && svg.content.startsWith('<svg') && svg.content.includes('Student'),
      `the SVG is saved as text with its caption (${svg?.name}, ${svg?.content.length} chars)`,
    );
    check(
      png && png.encoding === 'base64' && Buffer.from(png.content, 'base64').subarray(1, 4).toString() === 'PNG',
      `the PNG is saved as base64 (${png?.name})`,
    );
    check(
      files.some((f) => f.name.endsWith('-metrics.csv')),
      'metrics are saved as CSV',
    );
    await mkdir('test-results/ui-preview', { recursive: true });
    for (const f of [svg, png])
      if (f)
        await writeFile(`test-results/ui-preview/exported-${f.name}`, Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8'));
    await page.getByTestId('export-onnx-button').click();
    await page.getByTestId('onnx-report').waitFor();
    check((await page.getByTestId('onnx-report').getAttribute('data-passed')) === 'true', 'the ONNX report shows as passed');
  } finally {
    await browser.close();
    await server.close();
  }
  if (errors.length) {
    console.log(`console errors:\n${errors.join('\n')}`);
    process.exitCode = 1;
  } else console.log('no console errors');
}

await main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
