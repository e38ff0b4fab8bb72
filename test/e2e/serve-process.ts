/**
 * Starts `ablate serve` as a user starts it: a real child process of bin/ablate.js (what `npx
 * ablate` runs), its URL and token read from what it prints; with a Chromium for its pages for
 * the end-to-end tests. Test-only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from './browser.js';

const BIN = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const URL_LINE = /^\s+(http:\/\/\S+\?token=\S+)$/m;

export interface ServeProcess {
  /** The URL exactly as printed, token included. */
  url: string;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Sends `signal` and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `cli` is the CLI to start: bin/ablate.js, or another build's out/cli/ablate.js (the UI benchmark). */
export function startServe(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 120_000,
  cli = BIN,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ablate serve printed no URL in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    const onData = () => {
      const m = URL_LINE.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: m[1],
        child,
        output: () => ({ stdout, stderr }),
        stop: (signal = 'SIGINT') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`ablate serve exited (code ${code}) before printing its URL\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

/** `ablate serve` started as a user starts it, and a Chromium for its pages. */
export interface ServedWorkbench {
  serve: ServeProcess;
  browser: Browser;
  /** A page at the URL ablate serve printed (token included), in a fresh context; see openPage. */
  openApp(): Promise<{ page: Page; errors: string[] }>;
  /** Closes the browser, then stops ablate serve with SIGINT. */
  close(): Promise<void>;
}

/** Starts `ablate serve` with `args` in `cwd` (startServe), then Chromium. */
export async function startWorkbench(args: string[], cwd: string): Promise<ServedWorkbench> {
  const serve = await startServe(args, cwd);
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    await serve.stop();
    throw e;
  }
  return {
    serve,
    browser,
    openApp: () => openPage(browser, serve.url),
    close: async () => {
      await browser.close();
      await serve.stop();
    },
  };
}
