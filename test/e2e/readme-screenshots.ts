/**
 * Regenerates the README's screenshots (docs/images/*.png) from the real app: runs the "Why ReLU
 * beat sigmoid" example in headless Chromium on `ablate serve`, then captures the Design
 * tab and the Compare tab (learning curves and gradient flow). Not a test:
 *   npm run build && npx tsx test/e2e/readme-screenshots.ts
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkbench } from './serve-process.js';

const out = fileURLToPath(new URL('../../docs/images/', import.meta.url));

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const { serve, browser, close } = await startWorkbench(['store', '--port', '0'], mkdtempSync(path.join(tmpdir(), 'ablate-shots-')));
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    await page.goto(serve.url);
    await page.getByTestId('example-card').filter({ hasText: 'Why ReLU beat sigmoid' }).getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('runs-tab').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"][data-status="completed"]').length === 15, null, {
      timeout: 300_000,
    });
    await page.getByTestId('tab-design').click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, 'design.png') });
    await page.getByTestId('tab-compare').click();
    await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot').length >= 2, null, { timeout: 30_000 });
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(out, 'compare.png') });
    await page.getByTestId('section-gradients').click();
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(out, 'gradient-flow.png') });
    await page.getByTestId('section-results').click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, 'results.png') });
    console.log(`screenshots written to ${out}`);
  } finally {
    await close();
  }
}

void main();
