/**
 * A finished run is not read again (state/session.svelte.ts, state/compare-curves.svelte.ts). Both
 * used to read the run's whole metrics file when it finished (2.45 MB per run of the 20-run MNIST
 * comparison, parsed on the main thread): the records the live events had already carried. Here a
 * stand-in back end writes each record to the run's "file" before it sends its event, as the
 * runner does (experiment-runner.ts, live.ts), and counts what the page reads. The page whose
 * connection dropped is reloaded: its new session reads from byte 0 and must still end with every
 * record of the run, none read twice after the run finished.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api, ApiEvent, MetricRecord, Result, RunView } from '../../src/shared/api.js';
import type { CurvesRequest } from '../../src/renderer/src/lib/plots/curves-protocol.js';
import { ExperimentSession } from '../../src/renderer/src/state/session.svelte.js';
import type { ToastState } from '../../src/renderer/src/state/toasts.svelte.js';

class FakeWorker {
  static last: FakeWorker | null = null;
  sent: CurvesRequest[] = [];
  onmessage: unknown = null;
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(m: CurvesRequest) {
    this.sent.push(m);
  }
  terminate() {}
  /** The step numbers of every record the worker was sent for `runId`, sorted, duplicates once. */
  steps(runId: string): number[] {
    const seen = new Set<number>();
    for (const m of this.sent)
      if (m.type === 'records' && m.runId === runId) for (const r of m.records) if (r.kind === 'step') seen.add(r.step);
    return [...seen].sort((a, b) => a - b);
  }
}

const RUN: RunView = { runId: 'r1', variantId: 'v1', seed: 1, status: 'running' } as RunView;
const step = (n: number): MetricRecord => ({ kind: 'step', step: n, epoch: 0, loss: 1 / (n + 1), lr: 0.1 }) as MetricRecord;

/** The back end: one run's file, the pages' event listeners, and each metrics read (bytes sent). */
function backEnd() {
  const file: MetricRecord[] = [];
  const reads: Array<{ from: number; bytes: number }> = [];
  let page: ((e: ApiEvent) => void) | null = null;
  const failed = async () => ({ ok: false, error: 'not in this test' }) as Result<never>;
  const api = new Proxy({} as Record<string, unknown>, {
    get(_t, name) {
      if (name === 'runMetrics')
        return async (_e: string, _r: string, from: number) => {
          const records = file.slice(from);
          reads.push({ from, bytes: JSON.stringify(records).length });
          return { ok: true, value: { records, nextOffset: file.length } };
        };
      if (name === 'loadExperiment')
        return async () => ({ ok: true, value: { runs: [RUN], variants: [], experiment: { spec: { seeds: 1 } } } });
      return failed;
    },
  }) as unknown as Api;
  return {
    api,
    reads,
    file,
    /** The page that takes the events now (null: its connection dropped). */
    connect(handle: ((e: ApiEvent) => void) | null) {
      page = handle;
    },
    /** The runner writes records, then (live.ts) sends them. */
    train(from: number, to: number) {
      const records = Array.from({ length: to - from }, (_, i) => step(from + i));
      file.push(...records);
      page?.({ type: 'run-progress', experimentId: 'e1', runId: 'r1', epoch: 0, epochs: 1, step: to - 1, loss: 0.5, records });
    },
    finish() {
      page?.({ type: 'run-finished', experimentId: 'e1', runId: 'r1', summary: { status: 'completed' } as never });
    },
  };
}

const toasts = {} as ToastState;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A page's session for experiment e1, taking the back end's events from now on. */
function connectedSession(b: ReturnType<typeof backEnd>): ExperimentSession {
  const session = new ExperimentSession(
    b.api,
    'e1',
    toasts,
    () => 'light',
    () => '0',
  );
  b.connect((e) => session.handle(e));
  return session;
}

describe('a finished run is not read again', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('self', { location: new URL('http://localhost/') });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('a page that watched the run from its start reads nothing when it finishes, and holds every step', async () => {
    const b = backEnd();
    const session = connectedSession(b);
    await session.load();
    await session.loadSeries();
    session.compare.curves.use([RUN]);
    await vi.advanceTimersByTimeAsync(0);
    const before = b.reads.length;
    b.train(0, 50);
    b.train(50, 120);
    b.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.reads.length).toBe(before);
    expect(session.series.get('r1')?.train.x).toEqual(range(120));
    expect(FakeWorker.last!.steps('r1')).toEqual(range(120));
    session.dispose();
  });

  it('a page reloaded mid-run (its connection dropped) reads the file once from 0 and ends complete', async () => {
    const b = backEnd();
    const first = connectedSession(b);
    await first.load();
    await first.loadSeries();
    b.train(0, 40);
    // The connection drops: these records reach no page.
    b.connect(null);
    b.train(40, 90);
    first.dispose();

    // The reloaded page: a new session, taking events from its start, then reading the runs.
    const second = connectedSession(b);
    b.train(90, 100); // sent before the page read anything: in the file too
    await second.load();
    const reads = b.reads.length;
    await second.loadSeries();
    second.compare.curves.use([RUN]);
    await vi.advanceTimersByTimeAsync(0);
    // One read of the run by the sparklines and one by the curves feed, both from byte 0.
    expect(b.reads.slice(reads).map((r) => r.from)).toEqual([0, 0]);
    b.train(100, 160);
    b.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.reads.length).toBe(reads + 2);
    expect(second.series.get('r1')?.train.x).toEqual(range(160));
    expect(FakeWorker.last!.steps('r1')).toEqual(range(160));
    second.dispose();
  });
});
