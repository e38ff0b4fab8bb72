// The newcomer's browser path, as .ci/run proves it in a fresh clone: starts `npx ablate serve`
// exactly as a user types it (in its own process group, as a terminal would), reads the URL it
// prints, loads it in headless Chromium and waits for the workbench to show its examples and the
// store's path (answers from the back end over the socket), then stops it with Ctrl-C (SIGINT to
// the process group) and checks that it said it stopped, that no process of the group is left and
// that its port is closed. Exits non-zero, saying why, otherwise.
//   node scripts/serve-smoke.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 180_000;
const store = path.join(mkdtempSync(path.join(tmpdir(), 'ablate-smoke-')), 'store');

function fail(message) {
  console.error(`serve-smoke: ${message}`);
  process.exit(1);
}

const child = spawn('npx', ['ablate', 'serve', store, '--port', '0'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderr = '';
child.stdout.on('data', (d) => (stdout += d));
child.stderr.on('data', (d) => (stderr += d));
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
const timer = setTimeout(() => {
  process.kill(-child.pid, 'SIGKILL');
  fail(`timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`);
}, TIMEOUT_MS);

let printed = false;
const url = await new Promise((resolve) => {
  const look = () => {
    const m = /^\s+(http:\/\/\S+\?token=\S+)$/m.exec(stdout);
    if (!m) return;
    printed = true;
    resolve(m[1]);
  };
  child.stdout.on('data', look);
  void exited.then(({ code, signal }) => {
    if (!printed) fail(`npx ablate serve exited (${code ?? signal}) before printing a URL\n${stdout}\n${stderr}`);
  });
});
console.log(`serve-smoke: ablate serve printed ${url.replace(/token=.*/, 'token=…')}`);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const errors = [];
try {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.getByTestId('example-card').first().waitFor({ timeout: 60_000 });
  const shown = await page.getByTestId('store-path').innerText({ timeout: 60_000 });
  if (!shown.includes(store)) fail(`the page shows "${shown}", not the store ${store}`);
} finally {
  await browser.close();
}
if (errors.length) fail(`the page logged errors:\n${errors.join('\n')}`);
console.log('serve-smoke: the workbench loaded in Chromium and answered from the back end');

// Ctrl-C in a terminal signals the whole process group: npx and the ablate process it started.
process.kill(-child.pid, 'SIGINT');
await exited;
const groupAlive = () => {
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
};
while (groupAlive()) await new Promise((resolve) => setTimeout(resolve, 200));
clearTimeout(timer);
if (!/ablate serve: stopped/.test(stderr)) fail(`ablate serve did not report a clean stop after Ctrl-C\n${stderr}`);
const port = Number(new URL(url).port);
const open = await new Promise((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.once('connect', () => {
    s.destroy();
    resolve(true);
  });
  s.once('error', () => resolve(false));
});
if (open) fail(`port ${port} still accepts connections after ablate serve stopped`);
console.log('serve-smoke: Ctrl-C stopped it cleanly (no process left, port closed)');
