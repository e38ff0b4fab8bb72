/**
 * The hostile suite's watchdog (scripts/hostile.ts): starts a Node process (the ablate CLI, or a
 * script through tsx) with a memory and a time budget, samples its resident memory every 50 ms
 * from /proc on Linux and kills it (SIGKILL) the moment it passes either budget; every process
 * also reports its own peak RSS at exit (hostile-rss.mjs). A case (several processes) adds up its
 * time and keeps its highest peak.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const rssReporter = path.join(root, 'scripts/hostile-rss.mjs');
const ablateBin = path.join(root, 'bin/ablate.js');

export interface Budget {
  memoryBytes: number;
  timeMs: number;
}

export interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  peakRss: number;
  ms: number;
  /** Set when the watchdog killed it. */
  overBudget?: 'memory' | 'time';
  pid: number;
}

export interface Started {
  pid: number;
  kill(signal?: NodeJS.Signals): void;
  done: Promise<Proc>;
}

async function vmRss(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface StartOptions {
  tsx?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each piece of standard error (the CLI's progress lines) as it arrives, to act at a moment of a run. */
  onStderr?: (text: string) => void;
}

/** Starts `node [--import tsx] <args>` under the budget; `done` resolves when it exits. */
export function start(args: string[], budget: Budget, o: StartOptions = {}): Started {
  const rssDir = mkdtempSync(path.join(tmpdir(), 'ablate-hostile-rss-'));
  const rssFile = path.join(rssDir, 'rss');
  const pre = ['--import', rssReporter, ...(o.tsx ? ['--import', 'tsx'] : [])];
  const t0 = Date.now();
  const child = spawn(process.execPath, [...pre, ...args], {
    cwd: o.cwd ?? root,
    env: { ...process.env, ...o.env, ABLATE_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    o.onStderr?.(d.toString());
  });
  let peak = 0;
  let overBudget: Proc['overBudget'];
  const sampler = setInterval(() => {
    void vmRss(child.pid!).then((rss) => {
      peak = Math.max(peak, rss);
      if (rss > budget.memoryBytes && !overBudget) {
        overBudget = 'memory';
        child.kill('SIGKILL');
      }
    });
  }, 50);
  const timer = setTimeout(() => {
    overBudget ??= 'time';
    child.kill('SIGKILL');
  }, budget.timeMs);
  const done = new Promise<Proc>((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(timer);
      let reported = 0;
      try {
        reported = Math.max(0, ...readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number));
      } catch {
        // killed before its exit hook ran: the sampled peak stands
      }
      rmSync(rssDir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, peakRss: Math.max(peak, reported), ms: Date.now() - t0, overBudget, pid: child.pid! });
    });
  });
  return { pid: child.pid!, kill: (signal = 'SIGKILL') => child.kill(signal), done };
}

/** Everything a case does goes through its context, which keeps the case's peak memory and time. */
export class CaseContext {
  peakRss = 0;
  readonly dir: string;

  constructor(
    readonly budget: Budget,
    readonly started = Date.now(),
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'ablate-hostile-case-'));
  }

  /** Starts `ablate <args>` under what is left of the case's budget. */
  ablateStart(args: string[], o: Pick<StartOptions, 'env' | 'onStderr'> = {}): Started {
    return this.track(start([ablateBin, ...args], this.left(), o));
  }

  /** Runs `ablate <args>` to its end. */
  ablate(args: string[], env?: NodeJS.ProcessEnv): Promise<Proc> {
    return this.ablateStart(args, { env }).done;
  }

  /** Runs a TypeScript script through tsx. */
  script(args: string[]): Promise<Proc> {
    return this.track(start(args, this.left(), { tsx: true })).done;
  }

  private left(): Budget {
    return { memoryBytes: this.budget.memoryBytes, timeMs: Math.max(1_000, this.budget.timeMs - (Date.now() - this.started)) };
  }

  private track(s: Started): Started {
    const done = s.done.then((p) => {
      this.peakRss = Math.max(this.peakRss, p.peakRss);
      if (p.overBudget) throw new Error(`over its ${p.overBudget} budget (${fmtBytes(p.peakRss)}, ${(p.ms / 1000).toFixed(1)} s)`);
      return p;
    });
    done.catch(() => undefined);
    return { ...s, done };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function fmtBytes(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`;
}

/** A failed expectation inside a case: its message becomes the case's outcome. */
export function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/** Exit code and a message fragment, with the process's output in the failure. */
export function expectExit(p: Proc, code: number, pattern?: RegExp): void {
  const tail = (p.stderr || p.stdout).trim().split('\n').slice(-3).join(' | ');
  check(p.code === code, `exit ${p.code ?? p.signal}, expected ${code}: ${tail}`);
  if (pattern) check(pattern.test(p.stderr + p.stdout), `output does not match ${pattern}: ${tail}`);
  check(!/\n\s+at [\w.<>]+ \(|internal error/.test(p.stderr), `a stack trace or internal error: ${tail}`);
}
