/**
 * Where a real experiment's time goes, term by term, next to what the time estimate predicted
 * for each term (BENCHMARKS.md, "The time estimate against real runs"): the bench suite's
 * experiments (src/bench/estimate.ts), each repeat an estimate and then the experiment trained
 * with its store calls, its signal gap and its pool submissions timed.
 *   npx tsx src/bench/standalone/estimate-terms.ts [spiral|mnist] [repeats]
 * Run from the repository root after `npm run build:engine` (the pool's worker is out/engine/worker.js).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type ResolvedRunConfig, type RunRequest, WorkerPool } from '../../engine/index.js';
import { type DetailedEstimate, estimateOnPoolDetailed, runSeconds, stepsPerEpoch } from '../../services/experiments/estimate.js';
import { startExperiment } from '../../services/experiments/runner.js';
import { expandExperiment } from '../../services/experiments/spec/expand.js';
import { ExperimentStore } from '../../services/store/experiment-store.js';
import { formatTable } from '../../services/text-table.js';
import { benchSpec, EXPERIMENTS } from '../estimate.js';

const now = () => performance.now() / 1000;
type Spec = ReturnType<typeof benchSpec>;
/** The network of a run, as the bench's experiments vary it. */
const networkOf = (c: ResolvedRunConfig) => c.model.hidden[0].activation;

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'spiral';
  const repeats = Number(process.argv[3] ?? 3);
  const e = EXPERIMENTS.find((x) => x.name.toLowerCase().startsWith(which));
  if (!e) throw new Error(`experiment "${which}": expected spiral or mnist`);
  const spec = benchSpec(e);
  const embeddedDir = path.resolve('resources/runtime/mnist');
  const pool = new WorkerPool({ workerPath: path.resolve('out/engine/worker.js'), size: 2 });
  const root = mkdtempSync(path.join(tmpdir(), 'ablate-estimate-terms-'));
  try {
    for (let r = 0; r < repeats; r++) {
      const est = await estimateOnPoolDetailed(expandExperiment(spec).runs, pool, spec, embeddedDir);
      const real = await instrumentedRun(spec, pool, new ExperimentStore(path.join(root, String(r))), embeddedDir);
      console.log(
        `\n${e.name}, repeat ${r + 1} (load average ${loadavg()[0].toFixed(1)}): estimated ${est.estimate.seconds.toFixed(3)} s ` +
          `[${est.estimate.low.toFixed(3)}, ${est.estimate.high.toFixed(3)}] (calibration took ${est.calibrationSeconds.toFixed(2)} s), took ${real.total.toFixed(3)} s`,
      );
      console.log(compare(spec, est, real.terms));
    }
  } finally {
    await pool.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
}

type Terms = Map<string, number[]>;

/** The estimate's terms next to the real run's, in milliseconds: per run (mean, min-max) by network. */
function compare(spec: Spec, est: DetailedEstimate, t: Terms): string {
  const ms = (s: number) => (1000 * s).toFixed(1);
  const real = (k: string) => {
    const v = t.get(k) ?? [];
    if (v.length === 0) return '-';
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return v.length === 1 ? ms(mean) : `${ms(mean)} (${ms(Math.min(...v))}-${ms(Math.max(...v))})`;
  };
  const rows: string[][] = [];
  const run = expandExperiment(spec).runs;
  for (const c of est.costs) {
    const net = networkOf(c.config);
    const config = run.find((r) => networkOf(r.config) === net)!.config;
    const trainRows = trainRowsOf.get(net) ?? 0;
    const steps = stepsPerEpoch(config, trainRows);
    rows.push(
      [`${net}: an epoch per step`, (1000 * c.cost.seconds).toFixed(3), real(`${net}.step`)],
      [`${net}: an epoch (${steps} steps, validation)`, ms(c.cost.epoch + steps * c.cost.seconds), real(`${net}.epoch`)],
      [`${net}: the run on its worker outside its epochs`, ms(c.cost.run), real(`${net}.outside`)],
      [`${net}: the run on its worker`, ms(runSeconds(config, trainRows, c.cost)), real(`${net}.worker`)],
      [`${net}: signal on the main thread`, ms(c.cost.signal), real(`${net}.signal`)],
      [`${net}: spread (log-scale SD of blocks)`, c.cost.spread.toFixed(3), '-'],
    );
  }
  rows.push(
    ['store before training, per run', ms(est.store.before), real('store.before')],
    ['store after training, per run', ms(est.store.after), real('store.after')],
    ['metric lines on the main thread, per run', '-', real('store.append')],
    ['loading the data, opening the folder', ms(est.loadSeconds + est.store.open), real('experiment.start')],
    ['closing the folder', ms(est.store.close), real('experiment.close')],
  );
  return formatTable(['term (ms unless said)', 'estimate', 'real: mean (min-max)'], rows);
}

const trainRowsOf = new Map<string, number>();

/** Trains the experiment with every store call, signal gap and pool submission timed. */
async function instrumentedRun(spec: Spec, pool: WorkerPool, store: ExperimentStore, embeddedDir: string) {
  const t: Terms = new Map();
  const add = (k: string, v: number) => t.set(k, [...(t.get(k) ?? []), v]);
  const perRun = new Map<string, Record<string, number>>();
  const bump = (runId: string, k: string, v: number) => {
    const r = perRun.get(runId) ?? {};
    r[k] = (r[k] ?? 0) + v;
    perRun.set(runId, r);
  };
  /** Wraps obj[name] so each call's time (promise settled) is added to the run named by its first argument, or to `key`. */
  const timed = (obj: object, name: string, key: string, runId?: string) => {
    const o = obj as Record<string, (...a: unknown[]) => unknown>;
    const f = o[name];
    o[name] = (...args: unknown[]) => {
      const t0 = now();
      const id = runId ?? String(args[0]);
      const out = f.apply(obj, args);
      if (out instanceof Promise) return out.finally(() => bump(id, key, now() - t0));
      bump(id, key, now() - t0);
      return out;
    };
  };
  const configWritten = new Map<string, number>();
  let closeSeconds = 0;
  const open = store.createOrOpen.bind(store);
  store.createOrOpen = async (...args: Parameters<typeof open>) => {
    const h = await open(...args);
    for (const n of ['claimRun', 'isRunComplete', 'resetRun']) timed(h, n, 'before');
    timed(h, 'releaseRun', 'after');
    const close = h.close.bind(h);
    h.close = async () => {
      const t0 = now();
      await close();
      closeSeconds = now() - t0;
    };
    const runWriter = h.runWriter.bind(h);
    h.runWriter = async (runId: string) => {
      const t0 = now();
      const w = await runWriter(runId);
      bump(runId, 'before', now() - t0);
      timed(w, 'writeConfig', 'before', runId);
      const writeConfig = w.writeConfig.bind(w);
      w.writeConfig = async (c) => {
        await writeConfig(c);
        configWritten.set(runId, now());
      };
      for (const n of ['writeWeights', 'writeSummary', 'close']) timed(w, n, 'after', runId);
      timed(w, 'append', 'append', runId);
      return w;
    };
    return h;
  };
  const submit = pool.submit.bind(pool);
  const runOf = new Map<RunRequest, string>();
  pool.submit = (req: RunRequest) => {
    const ts = now();
    // The run whose config was written last is the one being submitted (a lane submits right after its signal).
    const runId = [...configWritten.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const net = networkOf(req.config);
    add(`${net}.signal`, ts - configWritten.get(runId)!);
    trainRowsOf.set(net, req.train.length);
    runOf.set(req, runId);
    const h = submit(req);
    void h.result.then((res) => {
      const eps = res.outcome.epochs.map((x) => x.seconds);
      const sum = eps.reduce((a, b) => a + b, 0);
      const steps = res.outcome.epochs.reduce((a, x) => a + x.steps, 0);
      add(`${net}.worker`, now() - ts);
      add(`${net}.epoch`, sum / eps.length);
      add(`${net}.step`, sum / steps);
      add(`${net}.outside`, now() - ts - sum);
    });
    return h;
  };
  const t0 = now();
  const job = await startExperiment(spec, { pool, store, embeddedDir });
  add('experiment.start', now() - t0);
  await job.done;
  const total = now() - t0;
  pool.submit = submit;
  add('experiment.close', closeSeconds);
  for (const r of perRun.values()) {
    add('store.before', r.before ?? 0);
    add('store.after', r.after ?? 0);
    add('store.append', r.append ?? 0);
  }
  return { total, terms: t };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
