/**
 * Screenshots of every tab in light and dark, for looking at the UI without Electron:
 *   npx electron-vite build && npx tsx test/ui/preview.ts [filter]
 * Serves out/renderer on 127.0.0.1, injects the fake Api, drives Debian's Chromium with
 * playwright-core and writes PNGs to test-results/ui-preview/. Console errors (CSP included)
 * and page errors are printed at the end, and make the script exit non-zero.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.js';
import { fakeApiScript, serveRenderer } from './serve.js';

const OUT = 'test-results/ui-preview';

interface Scenario {
  name: string;
  fake?: Record<string, unknown>;
  height?: number;
  run(page: Page): Promise<void>;
}

async function plots(page: Page, count = 1) {
  await page.waitForFunction((n) => document.querySelectorAll('.js-plotly-plot').length >= n, count, { timeout: 20000 });
  await page.waitForTimeout(700);
}

async function selectExperiment(page: Page, name: string) {
  await page.getByTestId('experiment-item').filter({ hasText: name }).click();
  await page.waitForTimeout(300);
}

const scenarios: Scenario[] = [
  { name: 'welcome', fake: { empty: true }, run: async (p) => void (await p.getByTestId('example-card').first().waitFor()) },
  {
    name: 'design',
    height: 1900,
    run: async (p) => {
      await selectExperiment(p, 'Spirals');
      await p.getByTestId('tab-design').click();
      await p.getByTestId('card-training').getByRole('button', { expanded: false }).click();
      await p.getByTestId('card-seeds').getByRole('button', { expanded: false }).click();
      await p.getByTestId('data-preview').locator('svg').waitFor();
      await p.getByTestId('panel-design').evaluate((el) => el.scrollTo(0, 0));
      await p.waitForTimeout(500);
    },
  },
  {
    name: 'design-compare',
    run: async (p) => {
      await selectExperiment(p, 'Taming');
      await p.getByTestId('tab-design').click();
      await p.getByTestId('card-compare').scrollIntoViewIfNeeded();
      await p.getByTestId('card-compare').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await p.waitForTimeout(400);
    },
  },
  {
    name: 'design-errors',
    run: async (p) => {
      await p.getByTestId('new-experiment').click();
      await p.getByTestId('card-data').getByRole('button', { expanded: true }).click();
      await p.getByLabel('Layer 1 dropout').fill('1.2');
      await p.getByLabel('Layer 2 width').fill('0');
      await p.getByTestId('field-error').first().waitFor();
      await p.getByTestId('panel-design').evaluate((el) => el.scrollTo(0, 0));
      await p.waitForTimeout(400);
    },
  },
  {
    name: 'runs',
    height: 1100,
    run: async (p) => {
      await p.getByTestId('run-row').first().waitFor();
      await p.waitForTimeout(1500);
    },
  },
  {
    name: 'compare-curves',
    height: 1500,
    run: async (p) => {
      await selectExperiment(p, 'Why ReLU');
      await p.getByTestId('tab-compare').click();
      await plots(p, 2);
    },
  },
  {
    name: 'compare-curves-smoothed-log',
    height: 1500,
    run: async (p) => {
      await selectExperiment(p, 'Taming');
      await p.getByTestId('tab-compare').click();
      await plots(p, 2);
      await p.getByTestId('scale-picker').getByText('log').click();
      await p.getByTestId('smoothing').fill('0.6');
      await p.getByTestId('variant-legend').getByRole('button', { name: 'early-stopping', exact: true }).hover();
      await p.waitForTimeout(800);
    },
  },
  {
    name: 'compare-gradients',
    height: 1500,
    run: async (p) => {
      await selectExperiment(p, 'Why ReLU');
      await p.getByTestId('tab-compare').click();
      await p.getByTestId('section-gradients').click();
      await plots(p, 2);
    },
  },
  {
    name: 'compare-units',
    height: 1100,
    run: async (p) => {
      await selectExperiment(p, 'Why ReLU');
      await p.getByTestId('tab-compare').click();
      await p.getByTestId('section-units').click();
      await p.getByTestId('unit-measure').getByText('Saturation').click();
      await plots(p, 1);
    },
  },
  {
    name: 'compare-distributions',
    height: 1100,
    run: async (p) => {
      await selectExperiment(p, 'Why ReLU');
      await p.getByTestId('tab-compare').click();
      await p.getByTestId('section-distributions').click();
      await plots(p, 1);
    },
  },
  {
    name: 'compare-boundary',
    height: 1200,
    run: async (p) => {
      await selectExperiment(p, 'Spirals');
      await p.getByTestId('tab-compare').click();
      await p.getByTestId('section-boundary').click();
      await plots(p, 1);
    },
  },
  {
    name: 'compare-results',
    run: async (p) => {
      await selectExperiment(p, 'Taming');
      await p.getByTestId('tab-compare').click();
      await p.getByTestId('section-results').click();
      await p.getByTestId('results-table').waitFor();
      await p.waitForTimeout(300);
    },
  },
  {
    name: 'export',
    height: 1500,
    run: async (p) => {
      await selectExperiment(p, 'Why ReLU');
      await p.getByTestId('tab-export').click();
      await plots(p, 1);
      await p.getByTestId('export-onnx-button').click();
      await p.getByTestId('onnx-report').waitFor();
    },
  },
];

async function main() {
  const filter = process.argv[2];
  await mkdir(OUT, { recursive: true });
  const server = await serveRenderer();
  const fake = await fakeApiScript();
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    for (const theme of ['light', 'dark'] as const) {
      for (const s of scenarios.filter((x) => !filter || x.name.includes(filter))) {
        const context = await browser.newContext({
          viewport: { width: 1280, height: s.height ?? 800 },
          colorScheme: theme,
          deviceScaleFactor: 1,
        });
        const page = await context.newPage();
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(`[${s.name}/${theme}] console.${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`[${s.name}/${theme}] page error: ${e.message}`));
        await page.addInitScript({ content: `window.__ABLATE_FAKE__ = ${JSON.stringify(s.fake ?? {})};\n${fake}` });
        await page.goto(server.url);
        await page.getByTestId('sidebar').waitFor();
        const started = Date.now();
        try {
          await s.run(page);
        } catch (e) {
          problems.push(`[${s.name}/${theme}] scenario failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
        const file = `${OUT}/${s.name}-${theme}.png`;
        await page.screenshot({ path: file });
        console.log(`${file} (${Date.now() - started} ms)`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (problems.length) {
    console.log(`\n${problems.length} problems:\n${[...new Set(problems)].join('\n')}`);
    process.exitCode = 1;
  }
}

await main();
