/**
 * The built `ablate` CLI (bin/ablate.js) for tests that run it as a user would: synchronously
 * (`ablate`), or as a child process to watch, signal and await (`startAblate`). Test code only.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const ablateBin = path.join(repoRoot, 'bin/ablate.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function ablate(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [ablateBin, ...args], { cwd: o.cwd ?? repoRoot, env: o.env, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export interface RunningCli {
  pid: number;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  kill(signal: NodeJS.Signals): void;
  exited: Promise<CliResult>;
}

export function startAblate(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [ablateBin, ...args], { cwd: o.cwd ?? repoRoot, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { pid: child.pid!, output: () => ({ stdout, stderr }), kill: (s) => child.kill(s), exited };
}
