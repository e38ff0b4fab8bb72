/**
 * Runs an ES module script (TypeScript imports allowed, through tsx) in a child Node process and
 * checks that it printed `expected` and exited by itself, cleanly: a thread or handle left running
 * would keep it alive until the timeout kills it. The timeout is far above the second or so such a
 * script takes on a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

export function expectExitsByItself(script: string, expected: string, timeoutMs = 60_000): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  expect(child.stderr).toBe('');
  expect(child.stdout.trim()).toBe(expected);
  expect(child.status).toBe(0);
  expect(child.signal).toBeNull(); // not killed by the timeout: it exited by itself
}
