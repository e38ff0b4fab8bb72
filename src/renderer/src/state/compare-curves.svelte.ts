/**
 * The learning curves' data for Compare, kept in a worker (plot/curves.worker.ts): each run's
 * metrics are read once from its file (a few runs at a time) and then fed by the live events, and
 * the worker answers the current question (metric, x axis, seeds, smoothing...) with each
 * variant's mean, band and seed lines. While runs train, the question is asked again at most
 * every QUERY_MS, so a plot updates a few times a second at most, however fast records arrive.
 * Nothing starts until a curves view asks (`use`).
 */
import type { Api, MetricRecord, RunView } from '../../../shared/api';
import type { CurveQuery, VariantCurves } from '../lib/plots/aggregate';
import type { CurvesReply, CurvesRequest } from '../lib/plots/curves-protocol';
import { curveRecords } from '../lib/plots/run-records';

const QUERY_MS = 500;
const FETCH_CONCURRENCY = 3;
/** States whose runs count in the curves: training, or ended healthy (as in the statistics). */
const COUNTED = new Set<RunView['status']>(['running', 'completed', 'early_stopped', 'incomplete']);

export class CurveFeed {
  /** variantId -> curves for the last answered query; null before the first answer. */
  curves = $state.raw<Map<string, VariantCurves> | null>(null);
  /**
   * The first answer worth drawing has come: one with a point of every variant that has a finished
   * run (of some variant, when none has), or one asked once every file was read. Until then the plots wait (a plot drawn empty first would then wait its
   * redraw gap before the data showed), and each read asks again at once, without QUERY_MS.
   */
  ready = $state(false);

  readonly #api: Api;
  readonly #experimentId: string;
  #worker: Worker | null = null;
  /**
   * Runs whose file has been read, once, from byte 0, or is being read. The live events (`append`) then carry the
   * records written after: the feed takes them from the moment its worker exists, before any read,
   * in order, and a record is in the file before its event is sent. So nothing is read again when
   * a run finishes (that re-read parsed a 2.45 MB file on the main thread per finished run).
   * Bookkeeping, not rendered.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #readRuns = new Set<string>();
  readonly #queue: string[] = [];
  #fetching = 0;
  #runsKey = '';
  #query: CurveQuery | null = null;
  #queryKey = '';
  #asked = 0;
  #dirty = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastAsk = 0;
  #disposed = false;
  /** Variants with a run that ended with metrics: the first answer to draw has a point of each. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #toDraw = new Set<string>();
  /** The id of the last question asked with no file being read or waiting to be. */
  #askedIdle = -1;

  constructor(api: Api, experimentId: string) {
    this.#api = api;
    this.#experimentId = experimentId;
  }

  /** Starts the worker (once) and tells it the experiment's runs; reads the files of runs not read yet. */
  use(runs: readonly RunView[]): void {
    if (this.#disposed) return;
    if (!this.#worker) {
      this.#worker = new Worker(new URL('../plot/curves.worker.ts', import.meta.url), { type: 'module' });
      this.#worker.onmessage = (e: MessageEvent<CurvesReply>) => this.#answer(e.data);
    }
    const listed = runs.map((r) => ({ runId: r.runId, variantId: r.variantId, seed: r.seed, included: COUNTED.has(r.status) }));
    const key = listed.map((r) => `${r.runId}:${r.included ? 1 : 0}`).join(',');
    if (key !== this.#runsKey) {
      this.#runsKey = key;
      this.#post({ type: 'runs', runs: listed });
      this.#changed();
    }
    // One run of each variant first, then the next of each (seeds in turn), so the first answers
    // have a curve for every variant rather than all seeds of the first variants.
    const unread = runs.filter(
      (r) => r.status !== 'queued' && r.status !== 'planned' && !this.#readRuns.has(r.runId) && !this.#queue.includes(r.runId),
    );
    // Local bookkeeping, not rendered.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const turn = new Map<string, number>();
    const ranked = unread.map((r, i) => {
      const k = turn.get(r.variantId) ?? 0;
      turn.set(r.variantId, k + 1);
      return { runId: r.runId, k, i };
    });
    for (const r of ranked.sort((a, b) => a.k - b.k || a.i - b.i)) this.#queue.push(r.runId);
    for (const r of runs) if (COUNTED.has(r.status) && r.status !== 'running') this.#toDraw.add(r.variantId);
    this.#pump();
  }

  /** Live records of a run (ignored until a curves view has started the feed). */
  append(runId: string, records: readonly MetricRecord[]): void {
    if (!this.#worker) return;
    const curve = curveRecords(records);
    if (curve.length === 0) return;
    this.#post({ type: 'records', runId, records: curve });
    this.#changed();
  }

  /** Asks this question now if it is new; the answer lands in `curves`. */
  ask(query: CurveQuery): void {
    const key = JSON.stringify(query);
    this.#query = query;
    if (key === this.#queryKey) return;
    this.#queryKey = key;
    this.#send();
  }

  #changed(): void {
    this.#dirty = true;
    if (!this.ready && this.#query) return this.#send();
    if (this.#timer || !this.#query) return;
    const wait = Math.max(0, this.#lastAsk + QUERY_MS - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#dirty) this.#send();
    }, wait);
  }

  #send(): void {
    if (!this.#query || !this.#worker) return;
    this.#dirty = false;
    this.#lastAsk = Date.now();
    this.#post({ type: 'query', id: ++this.#asked, query: this.#query });
    if (this.#fetching === 0 && this.#queue.length === 0) this.#askedIdle = this.#asked;
  }

  #answer(reply: CurvesReply): void {
    // Answers to older questions are dropped: a newer one is on its way.
    if (reply.id !== this.#asked || this.#disposed) return;
    if (!this.ready && (reply.id === this.#askedIdle || this.#drawsEvery(reply.curves))) this.ready = true;
    // Replaced whole on each answer ($state.raw), never mutated: a plain Map is what renders.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.curves = new Map(reply.curves);
  }

  /** The answer has a point of every variant in #toDraw (and of one at least). */
  #drawsEvery(curves: CurvesReply['curves']): boolean {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const seeds = new Map(curves.map(([id, c]) => [id, c.seeds]));
    const some = curves.some(([, c]) => c.seeds > 0);
    return some && [...this.#toDraw].every((id) => (seeds.get(id) ?? 0) > 0);
  }

  #pump(): void {
    while (this.#fetching < FETCH_CONCURRENCY && this.#queue.length > 0) {
      const runId = this.#queue.shift()!;
      this.#fetching++;
      void this.#read(runId).finally(() => {
        this.#fetching--;
        this.#pump();
        // Every file read and nothing worth drawing yet: ask once more, so the answer says so.
        if (!this.ready && this.#fetching === 0 && this.#queue.length === 0) this.#send();
      });
    }
  }

  async #read(runId: string): Promise<void> {
    this.#readRuns.add(runId);
    const r = await this.#api.runMetrics(this.#experimentId, runId, 0);
    // A read that failed is tried again at the next `use`.
    if (!r.ok) this.#readRuns.delete(runId);
    if (this.#disposed || !r.ok) return;
    const records = curveRecords(r.value.records);
    if (records.length > 0) {
      this.#post({ type: 'records', runId, records });
      this.#changed();
    }
  }

  #post(m: CurvesRequest): void {
    this.#worker?.postMessage(m);
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#worker?.terminate();
    this.#worker = null;
  }
}
