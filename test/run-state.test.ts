/**
 * One source of truth for run states (issue 13, item 3). The defects: while "Taming overfitting"
 * trained, the header said "2 running, 8 queued", the status bar "1 run queued" and the sidebar
 * "0/2 runs" for a 10-run experiment; after Cancel all the header read "4 done" when none had
 * finished; `ablate list` after a crash counted folders ("1/2" for 3 runs) and `show` left out
 * runs that never started. Here the model itself, then the app's back end while an experiment
 * trains and after Cancel all (list, view and pool events must agree), then the CLI after a crash.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiEvent, ExperimentListItem, ExperimentView } from '../src/shared/api.js';
import { countStates, experimentState, runFraction, runState, stateText } from '../src/shared/run-state.js';
import type { RunSummary } from '../src/shared/types/experiment.js';
import { spiralSpec } from './helpers/experiments.js';
import { callApi, testServices, WORKER_PATH as workerPath } from './helpers/app-services.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const summary = (status: RunSummary['status'], over: Partial<RunSummary> = {}) => ({ status, epochsRun: 3, ...over }) as RunSummary;

describe('the run-state model', () => {
  it('puts live facts over stored ones and damage over a stored status', () => {
    expect(runState({ stored: null, live: null }).state).toBe('planned');
    expect(runState({ stored: { summary: null }, live: null }).state).toBe('incomplete');
    expect(runState({ stored: { summary: summary('cancelled') }, live: { state: 'queued' } }).state).toBe('queued');
    expect(runState({ stored: { summary: null }, live: { state: 'running', threads: 2 } })).toMatchObject({ state: 'running', threads: 2 });
    const damaged = runState({ stored: { summary: summary('completed'), damage: 'weights.bin is missing' }, live: null });
    expect(damaged).toMatchObject({ state: 'damaged', recorded: 'completed', damage: 'weights.bin is missing' });
    expect(stateText(damaged, null)).toBe('damaged: weights.bin is missing');
  });

  it('counts every planned run once, and sums up an experiment', () => {
    const c = countStates(['completed', 'diverged', 'planned', 'planned', 'cancelled']);
    expect(c).toMatchObject({ total: 5, completed: 1, diverged: 1, planned: 2, cancelled: 1, running: 0 });
    expect(experimentState(c)).toBe('bad');
    expect(experimentState(countStates(['completed', 'early_stopped']))).toBe('done');
    expect(experimentState(countStates(['completed', 'cancelled']))).toBe('partial');
    expect(experimentState(countStates(['queued', 'diverged']))).toBe('running');
  });

  it('fills the bar only for runs that finished their training', () => {
    const of = (state: Parameters<typeof runFraction>[0], s: RunSummary | null) =>
      runFraction(state, { epochs: 4, summary: s, progress: null });
    expect(of('completed', summary('completed'))).toBe(1);
    expect(of('early_stopped', summary('early_stopped'))).toBe(1);
    expect(of('diverged', summary('diverged', { epochsRun: 3 }))).toBe(0.75);
    expect(of('cancelled', summary('cancelled', { epochsRun: 4 }))).toBe(0.75);
    expect(of('planned', null)).toBe(0);
  });
});

/** Ten runs that never end by themselves (the test cancels them): 5 variants x 2 seeds. */
const endless = spiralSpec('ten runs', {
  train: { epochs: 1_000_000, batchSize: 32, optimizer: { name: 'adam', lr: 0.001 } },
  compare: { activation: ['relu', 'tanh', 'elu', 'gelu', 'sigmoid'] },
  seeds: [1, 2],
});

describe.skipIf(!existsSync(workerPath))("the app's views agree while an experiment trains and after Cancel all", () => {
  it('list, view and pool status count the same planned runs by state', async () => {
    const store = path.join(mkdtempSync(path.join(tmpdir(), 'ablate-states-')), 'store');
    const services = testServices(store, { poolSize: 2 });
    const events: ApiEvent[] = [];
    services.onEvent((e) => events.push(e));
    const call = <T>(method: string, ...args: unknown[]) => callApi<T>(services, method, ...args);
    const waitFor = async (pred: () => boolean) => {
      while (!pred()) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      const { experimentId } = await call<{ experimentId: string }>('startExperiment', endless);
      // Two runs train (one worker each: 10 runs on 2 workers), eight wait.
      await waitFor(() => events.filter((e) => e.type === 'run-started').length === 2);
      await waitFor(() => events.some((e) => e.type === 'pool' && e.running === 2));
      const pool = events.filter((e) => e.type === 'pool').at(-1) as Extract<ApiEvent, { type: 'pool' }>;
      const view = await call<ExperimentView>('loadExperiment', experimentId);
      const [item] = await call<ExperimentListItem[]>('listExperiments');
      const counts = countStates(view.runs.map((r) => r.status));
      expect(counts).toMatchObject({ total: 10, running: 2, queued: 8 });
      expect(view.runs.filter((r) => r.status === 'running').map((r) => r.threads)).toEqual([1, 1]);
      expect(item).toMatchObject({ runCount: 10, completedRuns: 0, status: 'running', counts });
      expect(pool).toMatchObject({ busy: 2, workers: 2, running: 2, queued: 8 });

      await call('cancelExperiment', experimentId);
      await waitFor(() => events.some((e) => e.type === 'experiment-finished'));
      const after = await call<ExperimentView>('loadExperiment', experimentId);
      const afterCounts = countStates(after.runs.map((r) => r.status));
      // Nothing finished: the two that trained were cancelled, the eight never started.
      expect(afterCounts).toMatchObject({ total: 10, completed: 0, cancelled: 2, planned: 8 });
      for (const r of after.runs)
        expect(runFraction(r.status, { epochs: r.epochs, summary: r.summary, progress: r.progress })).toBeLessThan(1);
      const [listed] = await call<ExperimentListItem[]>('listExperiments');
      expect(listed).toMatchObject({ runCount: 10, completedRuns: 0, status: 'partial', counts: afterCounts });
    } finally {
      await services.dispose();
    }
  });
});

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/ablate.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI counts the plan, not the folders', () => {
  it('after a crash: list says 1/3 finished, show lists the run that never started', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-crash-'));
    const file = path.join(dir, 'exp.json');
    writeFileSync(file, JSON.stringify(spiralSpec('crashed', { compare: undefined, seeds: [1, 2, 3] })));
    const out = path.join(dir, 'store');
    expect(ablate(['run', file, '--out', out]).code).toBe(0);
    // What a kill leaves: one run done, one interrupted (no summary), one never started (no folder).
    const [exp] = readdirSync(out);
    const runs = path.join(out, exp, 'runs');
    const [, second, third] = readdirSync(runs).sort();
    rmSync(path.join(runs, second, 'summary.json'));
    rmSync(path.join(runs, third), { recursive: true });
    const list = ablate(['list', out]);
    expect(list.stdout).toMatch(/crashed\s+\S+ \S+\s+1\/3 finished\s+1 incomplete, 1 planned, 1 done/);
    const show = ablate(['show', path.join(out, exp)]);
    expect(show.stdout).toContain('3 planned runs: 1 incomplete, 1 planned, 1 done');
    expect(show.stdout).toMatch(new RegExp(`${third}\\s+planned \\(not started\\)`));
    expect(show.stdout).toMatch(new RegExp(`${second}\\s+incomplete`));
  });
});
