/**
 * The curves feed's first answer (state/compare-curves.svelte.ts). A cold Compare used to draw
 * every plot empty first (the worker's first answer came before any run's file was read), and the
 * answer with data then waited for the feed's QUERY_MS and the plot's redraw gap. Now the plots
 * wait for `ready`: the first answer with a point of some variant, or the one asked once every
 * file was read; until then each file read asks again at once. Here the worker and the back end
 * are stand-ins whose answers are released by hand.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api, MetricRecord, Result, RunView } from '../../src/shared/api.js';
import type { CurvesReply, CurvesRequest } from '../../src/renderer/src/lib/plots/curves-protocol.js';
import type { CurveQuery, VariantCurves } from '../../src/renderer/src/lib/plots/aggregate.js';
import { CurveFeed } from '../../src/renderer/src/state/compare-curves.svelte.js';

/** The worker: keeps what it is sent; the test answers. */
class FakeWorker {
  static last: FakeWorker | null = null;
  sent: CurvesRequest[] = [];
  onmessage: ((e: { data: CurvesReply }) => void) | null = null;
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(m: CurvesRequest) {
    this.sent.push(m);
  }
  terminate() {}
  queries() {
    return this.sent.filter((m): m is Extract<CurvesRequest, { type: 'query' }> => m.type === 'query');
  }
  /** Answers the last question with these variants' curves (seeds: how many have a point). */
  answer(variants: Record<string, number>) {
    const q = this.queries().at(-1)!;
    const curves: Array<[string, VariantCurves]> = Object.entries(variants).map(([id, seeds]) => [
      id,
      { lines: [], seedLines: [], epochEnds: [], seeds },
    ]);
    this.onmessage?.({ data: { type: 'curves', id: q.id, curves } as CurvesReply });
  }
}

const QUERY: CurveQuery = { metric: 'loss', x: 'epoch', roles: ['train', 'val'], seeds: false, smoothing: 0, logY: false, maxPoints: 200 };
const EPOCH: MetricRecord = { kind: 'epoch', epoch: 0, trainLoss: 1, valLoss: 1.2, steps: 10, seconds: 0.1 } as MetricRecord;

const run = (runId: string, status: RunView['status'] = 'completed', variantId = `v-${runId}`) =>
  ({ runId, variantId, seed: 1, status }) as RunView;

/** A back end whose metrics reads wait to be released, each with the records given then. */
function heldBackEnd() {
  const reads: Array<(records: MetricRecord[]) => void> = [];
  const asked: string[] = [];
  const api = {
    runMetrics: (_experimentId: string, runId: string) => {
      asked.push(runId);
      return new Promise<Result<{ records: MetricRecord[]; nextOffset: number }>>((resolve) =>
        reads.push((records) => resolve({ ok: true, value: { records, nextOffset: 100 } })),
      );
    },
  } as unknown as Api;
  return { api, reads, asked };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('the curves feed is ready with its first answer worth drawing', () => {
  let feed: CurveFeed | null = null;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.stubGlobal('Worker', FakeWorker);
    // Vite resolves the worker's URL against the page's location, which Node has not.
    vi.stubGlobal('self', { location: new URL('http://localhost/') });
  });
  afterEach(() => {
    feed?.dispose();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('reads one run of each variant first, and is ready with the first answer that has a point of each', async () => {
    const { api, reads, asked } = heldBackEnd();
    feed = new CurveFeed(api, 'e1');
    feed.use([run('a1', 'completed', 'va'), run('a2', 'completed', 'va'), run('b1', 'completed', 'vb'), run('b2', 'completed', 'vb')]);
    feed.ask(QUERY);
    const w = FakeWorker.last!;
    expect(w.queries()).toHaveLength(1);
    // Asked before any file was read: nothing to draw yet.
    w.answer({ va: 0, vb: 0 });
    expect(feed.curves).not.toBeNull();
    expect(feed.ready).toBe(false);
    // Three files are read at a time, the first seed of each variant first.
    expect(asked).toEqual(['a1', 'b1', 'a2']);
    // Each file read asks again at once (no QUERY_MS wait) while not ready.
    reads[0]([EPOCH]);
    await settle();
    expect(w.queries()).toHaveLength(2);
    w.answer({ va: 1, vb: 0 });
    expect(feed.ready).toBe(false);
    reads[1]([EPOCH]);
    await settle();
    expect(w.queries()).toHaveLength(3);
    w.answer({ va: 1, vb: 1 });
    expect(feed.ready).toBe(true);
    // Ready: the next read's question waits for QUERY_MS (500 ms) after the last one.
    reads[2]([EPOCH]);
    await settle();
    expect(w.queries()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(500);
    expect(w.queries()).toHaveLength(4);
    expect(asked).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('is ready once every file is read even when none had a point (no plot waits for ever)', async () => {
    const { api, reads } = heldBackEnd();
    feed = new CurveFeed(api, 'e1');
    feed.use([run('a'), run('b')]);
    feed.ask(QUERY);
    const w = FakeWorker.last!;
    w.answer({});
    reads[0]([]);
    await settle();
    expect(feed.ready).toBe(false);
    reads[1]([]);
    await settle();
    // The question asked once nothing is left to read: its answer, empty, is the one to draw.
    expect(w.queries()).toHaveLength(2);
    w.answer({ 'v-a': 0, 'v-b': 0 });
    expect(feed.ready).toBe(true);
  });

  it('is ready with the first answer when no run has a file to read', () => {
    const { api } = heldBackEnd();
    feed = new CurveFeed(api, 'e1');
    feed.use([run('a', 'queued'), run('b', 'queued')]);
    feed.ask(QUERY);
    FakeWorker.last!.answer({});
    expect(feed.ready).toBe(true);
  });
});
