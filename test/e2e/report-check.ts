/**
 * Opens a written report (ablate report) in headless Chromium from its file, offline: every
 * request other than the file itself is refused and recorded. Returns what a reader would see:
 * the figures drawn (their rendered sizes), the tables, errors, refused requests, and the size of
 * the page printed to PDF. Test-only; also type-checked with the Node tests (no DOM types), which
 * test/examples.test.ts needs.
 */
import { pathToFileURL } from 'node:url';
import { launchChromium } from './browser.js';

export interface ReportInBrowser {
  figures: Array<{ width: number; height: number }>;
  tables: number;
  title: string;
  errors: string[];
  refused: string[];
  pdfBytes: number;
  pdfMagic: string;
}

export async function openReport(file: string, screenshot?: string): Promise<ReportInBrowser> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const url = pathToFileURL(file).href;
    const refused: string[] = [];
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      refused.push(route.request().url());
      return route.abort();
    });
    await page.goto(url);
    const figures: Array<{ width: number; height: number }> = [];
    for (const svg of await page.locator('figure svg').all()) figures.push((await svg.boundingBox()) ?? { width: 0, height: 0 });
    const tables = await page.locator('table').count();
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    return {
      figures,
      tables,
      title: await page.title(),
      errors,
      refused,
      pdfBytes: pdf.length,
      pdfMagic: pdf.subarray(0, 5).toString('latin1'),
    };
  } finally {
    await browser.close();
  }
}
