/**
 * A pool worker's progress hooks (parallel/progress-hooks.ts). afterStep runs after every step of
 * the leader, and in short runs V8 never optimizes it (at batch 512 a run of 60 steps read 48
 * bytes per step on the leader: BENCHMARKS.md, "Where those bytes come from"); so it must
 * allocate nothing even interpreted. Checked in a child Node under --jitless, where nothing is
 * ever optimized.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeSupported } from '../src/engine/kernels/native/kernels.js';

const script = fileURLToPath(new URL('./helpers/after-step-allocation.ts', import.meta.url));

describe.skipIf(!nativeSupported())('the leader’s afterStep hook', () => {
  it('allocates nothing per step even in unoptimized code, and posts once its interval has passed', () => {
    const child = spawnSync(process.execPath, ['--jitless', '--import', 'tsx', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const { bytesPerCall, posted } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { bytesPerCall: number | null; posted: number };
    expect(posted).toBe(1);
    // One heap number is 12-16 bytes; the statistics read around a window may differ by a few dozen
    // bytes over its 1,000 calls.
    expect(bytesPerCall, 'a garbage collection fell in every window').not.toBeNull();
    expect(bytesPerCall!).toBeLessThan(1);
  }, 60_000);
});
