/**
 * The UI benchmark's CPU profile (bench-ui.ts --profile), read through the DevTools protocol: the
 * functions with the most self time, and the long tasks themselves. The profile samples the main
 * thread every millisecond; a task is a run of samples that are not "(idle)" (layout and paint
 * show as "(program)"), so two tasks with no idle sample between them count as one, which is how
 * the page feels too. For each task over LONG_MS: its length, the entry functions it ran (the
 * frames right under the root: a requestAnimationFrame callback, a message handler) and the
 * functions with the most self time inside it. The samples before the first idle one are the
 * profiler's own start, reported apart (startMs). Measures only; test-only.
 */
import type { CDPSession } from 'playwright-core';

const LONG_MS = 50;

export interface ProfileReport {
  /**
   * The samples before the first idle one: mostly V8 starting the profiler (it logs every compiled
   * function, hundreds of milliseconds with Plotly loaded: CpuProfiler::StartProfiling in a trace).
   * The measurement's own cost, so not among the long tasks.
   */
  startMs: number;
  self: Array<{ fn: string; ms: number }>;
  longTasks: Array<{ ms: number; atS: number; entries: string[]; hot: string[] }>;
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const nameOf = (f: Node['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`.trim();

/** Runs `work` under the CPU profiler; returns the top self times and the long tasks, longest first. */
export async function profiled(cdp: CDPSession, work: () => Promise<void>, top = 15): Promise<ProfileReport> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  await work();
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = profile.nodes as Node[];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const rootId = nodes[0].id;
  /** The frame right under the root on this sample's stack. */
  const entryOf = (id: number): string => {
    let cur = id;
    while (parent.has(cur) && parent.get(cur) !== rootId) cur = parent.get(cur)!;
    return nameOf(byId.get(cur)!.callFrame);
  };
  const deltas = profile.timeDeltas ?? [];
  const samples = profile.samples ?? [];
  const self = new Map<string, number>();
  const tasks: ProfileReport['longTasks'] = [];
  let task: { ms: number; atS: number; entries: Map<string, number>; hot: Map<string, number> } | null = null;
  /** Microseconds from the profile's start to the current sample. */
  let at = 0;
  /** Still in the profiler's own start (no idle sample yet). */
  let starting = true;
  let startMs = 0;
  const close = () => {
    if (task && task.ms > LONG_MS) {
      const topOf = (m: Map<string, number>, k: number) =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, k)
          .map(([fn, ms]) => `${fn} (${ms.toFixed(0)} ms)`);
      tasks.push({ ms: task.ms, atS: task.atS, entries: topOf(task.entries, 3), hot: topOf(task.hot, 4) });
    }
    task = null;
  };
  samples.forEach((id, i) => {
    // A sample's delta is the time since the previous one: it belongs to this sample.
    const ms = (deltas[i] ?? 0) / 1000;
    at += deltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const fn = nameOf(node.callFrame);
    if (node.callFrame.functionName === '(idle)') starting = false;
    if (starting) return void (startMs += ms);
    self.set(fn, (self.get(fn) ?? 0) + ms);
    if (node.callFrame.functionName === '(idle)') return close();
    // A sample stands for the time since the previous one: its task began that long before it.
    task ??= { ms: 0, atS: (at - (deltas[i] ?? 0)) / 1e6, entries: new Map(), hot: new Map() };
    task.ms += ms;
    const entry = entryOf(id);
    task.entries.set(entry, (task.entries.get(entry) ?? 0) + ms);
    task.hot.set(fn, (task.hot.get(fn) ?? 0) + ms);
  });
  close();
  return {
    startMs,
    self: [...self]
      .filter(([fn]) => !fn.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, ms]) => ({ fn, ms })),
    longTasks: tasks.sort((a, b) => b.ms - a.ms).slice(0, 12),
  };
}
