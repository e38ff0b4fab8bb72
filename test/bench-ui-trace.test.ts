/**
 * The UI benchmark's trace summary (test/e2e/bench-ui-trace.ts) on a hand-made trace whose self
 * times are worked out by hand below: the page's main thread is found among other threads and
 * another renderer, each long task is split by the self time of the events nested in it, and
 * short tasks count in the totals only.
 */
import { describe, expect, it } from 'vitest';
import { groupOf, summarizeTrace, type TraceEvent } from './e2e/bench-ui-trace.js';

const MS = 1000;
const T0 = 5_000_000;
const x = (name: string, startMs: number, durMs: number, tid = 1, pid = 1, data?: Record<string, unknown>): TraceEvent => ({
  name,
  ph: 'X',
  ts: T0 + startMs * MS,
  dur: durMs * MS,
  pid,
  tid,
  args: data ? { data } : {},
});
const threadName = (pid: number, tid: number, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  ts: 0,
  pid,
  tid,
  args: { name },
});

/** Self time by group, in the order written (largest first, as the summary sorts them). */
const groups = (ms: Record<string, number>) => Object.entries(ms).map(([group, ms]) => ({ group, ms }));

const events: TraceEvent[] = [
  threadName(1, 1, 'CrRendererMain'),
  threadName(1, 2, 'Compositor'),
  threadName(2, 1, 'CrRendererMain'),
  // Task A, 100 ms: FireAnimationFrame 60 ms around FunctionCall 50 ms around Layout 26 ms, then a
  // style recalculation of 20 ms and a minor GC of 12 ms written as a B/E pair.
  x('ThreadControllerImpl::RunTask', 0, 100),
  x('FireAnimationFrame', 1, 60, 1, 1, { id: 3 }),
  x('FunctionCall', 2, 50, 1, 1, { functionName: '', url: 'http://127.0.0.1/assets/app.js', lineNumber: 8, columnNumber: 120 }),
  x('LocalFrameView::performLayout', 10, 26),
  x('UpdateLayoutTree', 61, 20),
  { name: 'MinorGC', ph: 'B', ts: T0 + 85 * MS, pid: 1, tid: 1 },
  { name: 'MinorGC', ph: 'E', ts: T0 + 97 * MS, pid: 1, tid: 1 },
  // Task B, 30 ms, short: 20 ms of paint.
  x('ThreadControllerImpl::RunTask', 200, 30),
  x('Paint', 205, 20),
  // Not the page's main thread: a longer task on the compositor, a short one in another renderer.
  x('ThreadControllerImpl::RunTask', 0, 500, 2),
  x('ThreadControllerImpl::RunTask', 0, 20, 1, 2),
];

describe('the UI benchmark trace summary', () => {
  const r = summarizeTrace(events, 50);

  it('splits a long task by the self time of what ran in it', () => {
    expect(r.longTasks).toHaveLength(1);
    const [t] = r.longTasks;
    expect(t.ms).toBeCloseTo(100, 9);
    expect(t.atS).toBe(0);
    // Script: FireAnimationFrame 60 - 50 = 10, FunctionCall 50 - 26 = 24; task only: 100 - 60 - 20 - 12.
    expect(t.groups).toEqual(groups({ script: 34, layout: 26, style: 20, gc: 12, 'task only': 8 }));
    expect(t.top.slice(0, 2)).toEqual([
      { name: 'LocalFrameView::performLayout', ms: 26 },
      { name: 'FunctionCall', ms: 24 },
    ]);
    expect(t.entry).toBe('FireAnimationFrame > FunctionCall (app.js:8:120)');
  });

  it('counts short tasks in the totals and the busy fraction, and only the page main thread', () => {
    expect(r.groups).toEqual(groups({ script: 34, layout: 26, style: 20, paint: 20, 'task only': 18, gc: 12 }));
    // 130 ms of tasks from the first task's start (0 ms) to the last one's end (230 ms).
    expect(r.busy).toBeCloseTo(130 / 230, 12);
    expect(r.seconds).toBeCloseTo(0.23, 12);
  });

  it("groups Blink's and V8's event names as the Performance panel does", () => {
    const names = {
      'Document::recalcStyle': 'style',
      'Document::updateStyle': 'style',
      'SvgTextLayoutAlgorithm::Layout': 'layout',
      'Blink.ForcedStyleAndLayout.UpdateTime': 'layout',
      'InlineNode::ShapeTextIncludingFirstLine': 'layout',
      'PaintArtifactCompositor::Update': 'paint',
      'Blink.CompositingInputs.UpdateTime': 'paint',
      'V8.GC_SCAVENGER_SCAVENGE_PARALLEL_PHASE': 'gc',
      'LiveObjectVisitor::VisitMarkedObjectsNoFail': 'gc',
      'Major concurrent marking rescheduled': 'gc',
      'v8.callFunction': 'script',
      'CpuProfiler::StartProfiling': 'profiler',
      ParseHTML: 'parse',
    };
    expect(Object.fromEntries(Object.keys(names).map((n) => [n, groupOf(n)]))).toEqual(names);
  });
});
