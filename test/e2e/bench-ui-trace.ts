/**
 * The UI benchmark's Chrome trace (bench-ui.ts --trace): what the renderer's main thread did in
 * each long task, in the browser's own words. A CPU profile sees only JavaScript; everything else
 * (style recalculation, layout, paint, garbage collection, HTML parsing) is "(program)" there. The
 * trace records the main thread's tasks (the toplevel category) and, nested inside them, the
 * devtools.timeline, v8 and blink events Chromium's Performance panel shows. Each task over LONG_MS
 * is split by the self time of the events inside it (an event's duration minus its children's),
 * grouped as the Performance panel groups them (script, style, layout, paint and compositing, GC,
 * parse and compile; and the CPU profiler's own work when --profile runs inside the trace), plus the task's own time outside any event ("task only": work the trace
 * categories do not name). `summarizeTrace` is pure (tested with hand-made events); `traced`
 * records around a piece of work through playwright-core's Chromium tracing. Measures only.
 */
import type { Browser, Page } from 'playwright-core';

export const LONG_MS = 50;

/**
 * Not blink.user_timing: with it, performance.measure (one per plot draw) took about 3.6 ms of
 * self time each in a profile inside a trace (528 ms in 15 s), and too little to list without.
 */
export const CATEGORIES = [
  '__metadata',
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink',
  'loading',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.gc',
];

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> } & Record<string, unknown>;
}

export type Group = 'script' | 'style' | 'layout' | 'paint' | 'gc' | 'parse' | 'profiler' | 'other' | 'task only';

export interface TraceTask {
  /** Start, seconds from the first task of the trace. */
  atS: number;
  ms: number;
  /** Self time by group, largest first. */
  groups: Array<{ group: Group; ms: number }>;
  /** The events with the most self time. */
  top: Array<{ name: string; ms: number }>;
  /** What started the task's script, if any: a timer, an animation frame, an event, a function. */
  entry: string | null;
}

export interface TraceReport {
  seconds: number;
  /** Main-thread task time over the traced time. */
  busy: number;
  /** All tasks' self time by group. */
  groups: Array<{ group: Group; ms: number }>;
  longTasks: TraceTask[];
}

/** The Performance panel's grouping of trace event names (Blink's and V8's own names). */
export function groupOf(name: string): Group {
  // The measurement's own cost: V8's CPU profiler logs every compiled function when it starts.
  if (/CpuProfiler|Profiler::/.test(name)) return 'profiler';
  if (/GC|Scavenge|Sweep|Mark|marking|Evacuat|Compact|LiveObject|ThreadState|Heap/.test(name)) return 'gc';
  if (
    /recalcStyle|RecalculateStyles|UpdateLayoutTree|StyleInvalidator|ScheduleStyle|ParseAuthorStyleSheet|StyleEngine|::updateStyle$/i.test(
      name,
    )
  )
    return 'style';
  if (/Paint|Layeriz|Composit|Commit|Raster|Decode|UpdateLayer/.test(name)) return 'paint';
  if (/Layout|InlineNode|Shape/i.test(name)) return 'layout';
  if (/ParseHTML|Compile|Parse|ScriptStreamer|CacheScript|Deserialize/.test(name)) return 'parse';
  if (
    /FunctionCall|EvaluateScript|TimerFire|AnimationFrame|IdleCallback|EventDispatch|Microtask|Observer|v8\.|V8\.|PostMessage|XHR|UserTiming/i.test(
      name,
    )
  )
    return 'script';
  return 'other';
}

const TOPLEVEL = /^(ThreadControllerImpl::RunTask|RunTask|ThreadPool_RunTask|MessageLoop::RunTask)$/;

interface Span {
  name: string;
  start: number;
  end: number;
  args?: TraceEvent['args'];
  children: Span[];
}

/** Complete spans of one thread ('X' events, and 'B'/'E' pairs), nested by time. */
function spansOf(events: TraceEvent[]): Span[] {
  const flat: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X' && e.dur !== undefined) flat.push({ name: e.name, start: e.ts, end: e.ts + e.dur, args: e.args, children: [] });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const b = open.pop();
      if (b) flat.push({ name: b.name, start: b.ts, end: e.ts, args: b.args, children: [] });
    }
  }
  // Outer first: earlier start, then longer.
  flat.sort((a, b) => a.start - b.start || b.end - a.end);
  const roots: Span[] = [];
  const stack: Span[] = [];
  for (const s of flat) {
    while (stack.length && stack[stack.length - 1].end <= s.start) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent && s.end <= parent.end) parent.children.push(s);
    else roots.push(s);
    stack.push(s);
  }
  return roots;
}

/** What a script span was started by, in a few words. */
function entryOf(s: Span): string | null {
  const d = s.args?.data;
  if (!/FunctionCall|TimerFire|FireAnimationFrame|EventDispatch|FireIdleCallback|EvaluateScript|RunMicrotasks/.test(s.name)) return null;
  const detail = d
    ? [
        d.type,
        d.functionName,
        typeof d.url === 'string' && d.url ? `${d.url.replace(/^.*\//, '')}:${String(d.lineNumber)}:${String(d.columnNumber)}` : undefined,
      ]
        .filter((v) => v !== undefined && v !== '')
        .join(' ')
    : '';
  return detail ? `${s.name} (${detail})` : s.name;
}

/** Self time by event name under `s` (its duration minus its children's), into `into`. */
function selfTimes(s: Span, into: Map<string, number>): void {
  const childTime = s.children.reduce((t, c) => t + (c.end - c.start), 0);
  const self = Math.max(0, s.end - s.start - childTime);
  into.set(s.name, (into.get(s.name) ?? 0) + self);
  for (const c of s.children) selfTimes(c, into);
}

/** The outermost script entry under `s`, and the function it called when the entry names none. */
function firstEntry(s: Span): string | null {
  const find = (x: Span, test: (n: string) => boolean): Span | null => {
    if (test(x.name) && entryOf(x)) return x;
    for (const c of x.children) {
      const f = find(c, test);
      if (f) return f;
    }
    return null;
  };
  const outer = find(s, () => true);
  if (!outer) return null;
  if (outer.args?.data?.url) return entryOf(outer);
  const call = find(outer, (n) => n === 'FunctionCall');
  return call && call !== outer && call.args?.data?.url ? `${entryOf(outer)} > ${entryOf(call)}` : entryOf(outer);
}

const byMs = <K extends string>(m: Map<K, number>, k: string) =>
  [...m]
    .filter(([, us]) => us > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ [k]: name, ms: us / 1000 }));

/**
 * The renderer main thread's tasks in `events`: the thread named CrRendererMain with the most
 * task time (the page's), its busy fraction over the span of the trace, and each task over
 * `longMs` with its self time by group.
 */
export function summarizeTrace(events: TraceEvent[], longMs = LONG_MS): TraceReport {
  const mains = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!mains.has(key) || e.ph === 'M') continue;
    const list = byThread.get(key);
    if (list) list.push(e);
    else byThread.set(key, [e]);
  }
  let best: Span[] = [];
  let bestTime = -1;
  for (const list of byThread.values()) {
    const tasks = spansOf(list).filter((s) => TOPLEVEL.test(s.name));
    const time = tasks.reduce((t, s) => t + s.end - s.start, 0);
    if (time > bestTime) [best, bestTime] = [tasks, time];
  }
  // The traced span: the page's main thread, first task start to last task end.
  const t0 = best.length ? best[0].start : 0;
  const t1 = best.reduce((t, s) => Math.max(t, s.end), t0);
  const all = new Map<Group, number>();
  const longTasks: TraceTask[] = [];
  for (const task of best) {
    const names = new Map<string, number>();
    selfTimes(task, names);
    // The task span's own self time is work no event inside it names.
    const groups = new Map<Group, number>();
    for (const [name, us] of names) {
      const g: Group = name === task.name ? 'task only' : groupOf(name);
      groups.set(g, (groups.get(g) ?? 0) + us);
      all.set(g, (all.get(g) ?? 0) + us);
    }
    const ms = (task.end - task.start) / 1000;
    if (ms <= longMs) continue;
    names.delete(task.name);
    longTasks.push({
      atS: (task.start - t0) / 1e6,
      ms,
      groups: byMs(groups, 'group') as TraceTask['groups'],
      top: (byMs(names, 'name') as TraceTask['top']).slice(0, 5),
      entry: firstEntry(task),
    });
  }
  const wallUs = Math.max(1, t1 - t0);
  return {
    seconds: wallUs / 1e6,
    busy: bestTime > 0 ? bestTime / wallUs : 0,
    groups: byMs(all, 'group') as TraceReport['groups'],
    longTasks: longTasks.sort((a, b) => b.ms - a.ms).slice(0, 12),
  };
}

/** Records a Chrome trace of `page` while `work` runs; the summary, and the raw trace written to `file`. */
export async function traced(browser: Browser, page: Page, file: string, work: () => Promise<void>): Promise<TraceReport> {
  await browser.startTracing(page, { categories: CATEGORIES, screenshots: false, path: file });
  let failure: unknown = null;
  await work().catch((e: unknown) => (failure = e ?? new Error('the traced work failed')));
  const buffer = await browser.stopTracing();
  if (failure) throw failure;
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return summarizeTrace(Array.isArray(parsed) ? parsed : parsed.traceEvents);
}
