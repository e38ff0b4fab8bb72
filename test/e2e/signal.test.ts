/**
 * The Design tab's signal-at-initialization check in Chromium, served by a real `ablate serve`
 * (the back end measures on MNIST): opening the "Initialization matters" example shows, before
 * anything runs, one sentence per variant (zero init: exactly zero gradients at every hidden
 * layer, said in words), the batch the numbers come from, and the variance-per-layer plot; a
 * change of the design is measured again. Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS
 * is set or Chromium is not installed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/initialization-matters.json', import.meta.url));

let workbench: ServedWorkbench;
let dir: string;

describe.skipIf(SKIP_BROWSER)('signal at initialization in the Design tab, in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ablate-signal-ui-'));
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir);
    copyFileSync(EXAMPLE, path.join(dataDir, 'init.json'));
    workbench = await startWorkbench([path.join(dir, 'store'), '--port', '0', '--workers', '1', '--data', dataDir], dir);
  });
  afterAll(async () => {
    await workbench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads each variant of the example before it runs, and names the batch used', async () => {
    const { page, errors } = await workbench.openApp();
    await page.getByTestId('open-experiment').click();
    const dialog = page.getByTestId('open-path-dialog');
    await dialog.getByRole('textbox').fill(path.join(dir, 'data', 'init.json'));
    await dialog.getByRole('button', { name: 'Open' }).click();
    const check = page.getByTestId('signal-check');
    await check.getByTestId('signal-reading').nth(2).waitFor({ timeout: 60_000 });
    const readings = await check.getByTestId('signal-reading').allInnerTexts();
    expect(readings).toHaveLength(3);
    expect(readings[0]).toMatch(
      /^glorot_uniform: With this initialization the gradient (shrinks|grows) [0-9.]+x from the output to hidden\.0/,
    );
    expect(readings[2]).toMatch(
      /^zeros: The gradient is exactly zero at hidden\.0, hidden\.1, hidden\.2: no hidden layer would learn anything from this initialization/,
    );
    expect(await check.getByTestId('signal-batch').innerText()).toMatch(/first training batch \(64 rows of mnist, seed 1\)/);
    await check.getByTestId('plot-signal').locator('.main-svg').first().waitFor({ timeout: 30_000 });
    // Six lines: forward and backward per variant (zero variances are left off the log axis).
    expect(await check.getByTestId('plot-signal').locator('.scatterlayer .trace').count()).toBe(6);

    // A smaller batch is measured again.
    await page.getByTestId('card-training').locator('button[aria-expanded]').first().click();
    const batch = page
      .getByRole('spinbutton', { name: 'Batch size', exact: true })
      .or(page.getByRole('textbox', { name: 'Batch size', exact: true }));
    await batch.first().fill('16');
    await expect.poll(async () => check.getByTestId('signal-batch').innerText(), { timeout: 60_000 }).toMatch(/16 rows of mnist/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
