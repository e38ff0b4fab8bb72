#!/usr/bin/env node
/**
 * Renders resources/icon.svg to resources/icon.png (1024 x 1024, transparent corners), from which
 * electron-builder derives the Windows .ico, the macOS .icns and the Linux icon sizes. Uses
 * Debian's headless Chromium through playwright-core, so the PNG is reproducible from the SVG on
 * any machine like ours. The PNG is committed: run this after editing the SVG.
 * Usage: node scripts/render-icon.mjs [--chromium /path/to/chromium]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SIZE = 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svgFile = path.join(root, 'resources', 'icon.svg');
const pngFile = path.join(root, 'resources', 'icon.png');
const flag = process.argv.indexOf('--chromium');
const executablePath = flag > 0 ? process.argv[flag + 1] : (process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

const svg = readFileSync(svgFile, 'utf8');
const html = `<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent}svg{display:block}</style></head><body>${svg}</body></html>`;

const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--force-color-profile=srgb',
    '--font-render-hinting=none',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(html);
  const png = await page.locator('svg').screenshot({ omitBackground: true, animations: 'disabled' });
  writeFileSync(pngFile, png);
  console.log(
    `render-icon: ${path.relative(root, svgFile)} -> ${path.relative(root, pngFile)} (${SIZE}x${SIZE}, ${Math.round(png.length / 1024)} KiB)`,
  );
} finally {
  await browser.close();
}
