/**
 * Headless Chromium for the UI tests and scripts (Debian's /usr/bin/chromium through
 * playwright-core), and the page helpers the end-to-end tests share. Test-only.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Browser tests skip (with a reason) when asked to or when Chromium is not installed. */
export const SKIP_BROWSER = Boolean(process.env.ABLATE_SKIP_BROWSER_TESTS) || !existsSync(CHROMIUM);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * A page at `url` in a fresh browser context (its own cookies and storage), with the console
 * errors and uncaught exceptions it reports collected in `errors`.
 */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

/** A text input by its exact accessible name (labels are also used by headings and summaries). */
export const field = (page: Page, label: string) => page.getByRole('textbox', { name: label, exact: true });

/** Opens a design card if it is collapsed. */
export async function expand(page: Page, id: string): Promise<void> {
  const toggle = page.getByTestId(`card-${id}`).locator('button[aria-expanded]').first();
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
}
