/**
 * Issue 20 item 5 in the app: the Api method `compareExperiments` on the real services, over
 * experiments `ablate run` trained into a store. Checked against the runs' summary.json files by
 * hand: each picked variant's mean and n, the paired difference over the seeds both experiments
 * ran (its mean and, with 2 pairs, the p-value of the Cauchy closed form of Student's t with one
 * degree of freedom), only the picked variants counted (Holm over one comparison is the raw p);
 * where no seed is shared, Welch's unpaired difference (its mean, n and degrees of freedom by hand,
 * Holm over the two); the validation curves' summaries (area per epoch by hand from each run's
 * epochs) and each seed's epochs for the curves; refusals for other data, unknown variants, a
 * single experiment, a baseline not picked; hostile payloads refused by the guard.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkApiCall } from '../src/services/app/api-guard.js';
import { AppServices } from '../src/services/app/app-services.js';
import type { CrossComparison, Result } from '../src/shared/api.js';
import { ablate } from './helpers/ablate-cli.js';
import { spiralSpec } from './helpers/experiments.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ablate-cross-app-'));
const store = path.join(dir, 'store');
const TRAIN = { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } };

function run(name: string, extra: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(spiralSpec(name, { train: TRAIN, ...extra })));
  const r = ablate(['run', file, '--out', store, '--json', '--workers', '1']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).experimentId as string;
}

/** final.valLoss by seed of one variant, from its runs' summary.json files. */
function finalValLoss(experimentId: string, variantId: string): Map<number, number> {
  const out = new Map<number, number>();
  const runs = path.join(store, experimentId, 'runs');
  for (const r of readdirSync(runs)) {
    const s = JSON.parse(readFileSync(path.join(runs, r, 'summary.json'), 'utf8'));
    if (s.variantId === variantId) out.set(s.seed, s.final.valLoss);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

let services: AppServices;
let a: string;
let b: string;
let far: string;
let noisy: string;

describe("compareExperiments, the app's comparison across experiments", () => {
  beforeAll(() => {
    a = run('A', { seeds: [1, 2, 3] });
    b = run('B', { compare: { lr: [0.01, 0.003] }, seeds: [2, 3, 4] });
    far = run('Far seeds', { compare: undefined, seeds: [7, 8] });
    noisy = run('Noisy', {
      data: { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, noise: 0.2, seed: 1 },
      seeds: [1, 2],
    });
    services = new AppServices({
      storeRoot: store,
      workerPath: fileURLToPath(new URL('../out/engine/worker.js', import.meta.url)),
      embeddedDir: fileURLToPath(new URL('../resources/runtime/mnist', import.meta.url)),
      appVersion: 'test',
      poolSize: 1,
      watchStore: false,
      dialogs: {
        chooseDataFile: async () => null,
        openExperimentFile: async () => null,
        saveFile: async () => null,
        openFolder: async () => undefined,
      },
    });
  }, 300_000);
  afterAll(async () => {
    await services?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (picks: unknown, baseline: string | null = null) =>
    (await services.invoke('compareExperiments', [picks, baseline])) as Result<CrossComparison>;

  it('compares the picked variants, paired over the seeds both experiments ran', async () => {
    const r = await call(
      [
        { experimentId: a, variantIds: ['activation=relu'] },
        { experimentId: b, variantIds: ['lr=0.003'] },
      ],
      null,
    );
    if (!r.ok) throw new Error(r.error);
    const { comparison, experiments, sharedSeeds } = r.value;
    const base = `${a}/activation=relu`;
    const other = `${b}/lr=0.003`;
    expect(comparison.baseline).toBe(base);
    expect(comparison.variants.map((v) => v.variantId)).toEqual([base, other]);
    expect(comparison.variants.map((v) => v.label)).toEqual(['A: relu', 'B: lr 0.003']);
    expect(experiments.map((e) => e.seeds)).toEqual([
      [1, 2, 3],
      [2, 3, 4],
    ]);
    expect(sharedSeeds).toEqual({ [other]: [2, 3] });

    const baseValues = finalValLoss(a, 'activation=relu');
    const otherValues = finalValLoss(b, 'lr=0.003');
    const [vBase, vOther] = comparison.variants;
    expect(vBase.metrics['final.valLoss'].n).toBe(3);
    expect(vBase.metrics['final.valLoss'].mean).toBeCloseTo(mean([...baseValues.values()]), 12);
    expect(vOther.metrics['final.valLoss'].n).toBe(3);
    expect(vOther.metrics['final.valLoss'].mean).toBeCloseTo(mean([...otherValues.values()]), 12);

    const diffs = [2, 3].map((s) => otherValues.get(s)! - baseValues.get(s)!);
    const d = vOther.vsBaseline!['final.valLoss']!;
    expect(d.n).toBe(2);
    expect(d.mean).toBeCloseTo(mean(diffs), 12);
    const sd = Math.abs(diffs[0] - diffs[1]) / Math.SQRT2;
    const t = mean(diffs) / (sd / Math.SQRT2);
    expect(d.p).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(Math.abs(t)), 9);
    // Only the two picked variants are compared: Holm over one comparison leaves p as it is.
    expect(d.pHolm).toBe(d.p);

    // Curves of the picked variants only, per epoch.
    expect(Object.keys(comparison.curves).sort()).toEqual([base, other].sort());
    expect(comparison.curves[other].valLoss.x).toEqual([0, 1]);
    expect(comparison.curves[other].valLoss.n).toEqual([3, 3]);
  });

  it("honours a picked baseline and gives Welch's unpaired difference where no seed is shared", async () => {
    const r = await call(
      [
        { experimentId: a, variantIds: ['activation=relu', 'activation=tanh'] },
        { experimentId: far, variantIds: ['base'] },
      ],
      `${far}/base`,
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.value.comparison.baseline).toBe(`${far}/base`);
    expect(r.value.sharedSeeds).toEqual({ [`${a}/activation=relu`]: [], [`${a}/activation=tanh`]: [] });
    // By hand from the summary.json files: the difference of the means, its standard error and
    // the Welch-Satterthwaite degrees of freedom (3 seeds against the baseline's 2).
    const base = [...finalValLoss(far, 'base').values()];
    const variance = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1);
    const ps: number[] = [];
    for (const v of r.value.comparison.variants.filter((x) => x.variantId !== `${far}/base`)) {
      const mine = [...finalValLoss(a, v.variantId.split('/')[1]).values()];
      const d = v.vsBaseline!['final.valLoss']!;
      expect(d.test).toBe('welch');
      expect([d.n, d.nBaseline]).toEqual([3, 2]);
      expect(d.mean).toBeCloseTo(mean(mine) - mean(base), 12);
      const [qv, qb] = [variance(mine) / 3, variance(base) / 2];
      expect(d.df!).toBeCloseTo((qv + qb) ** 2 / (qv ** 2 / 2 + qb ** 2 / 1), 9);
      // Symmetric around the difference (a loss difference is unbounded), wider than 2 standard errors.
      expect(d.upper! - d.mean).toBeCloseTo(d.mean - d.lower!, 12);
      expect(d.upper! - d.mean).toBeGreaterThan(2 * Math.sqrt(qv + qb));
      expect([d.dz, d.seedsFor80]).toEqual([null, null]);
      expect(v.metrics['final.valLoss'].n).toBe(3);
      ps.push(d.p!);
    }
    // Holm over the two Welch tests: the smaller p doubled, the larger at least that.
    const holm = r.value.comparison.variants
      .filter((x) => x.variantId !== `${far}/base`)
      .map((v) => v.vsBaseline!['final.valLoss']!.pHolm!);
    const order = ps[0] <= ps[1] ? [0, 1] : [1, 0];
    expect(holm[order[0]]).toBeCloseTo(Math.min(1, 2 * ps[order[0]]), 12);
    expect(holm[order[1]]).toBeCloseTo(Math.max(Math.min(1, 2 * ps[order[0]]), ps[order[1]]), 12);
  });

  it("adds the validation curves' summaries with one target, and each seed's epochs for the curves", async () => {
    const r = await call([
      { experimentId: a, variantIds: ['activation=relu'] },
      { experimentId: b, variantIds: ['lr=0.003'] },
    ]);
    if (!r.ok) throw new Error(r.error);
    const { comparison, runs } = r.value;
    expect(comparison.metrics).toEqual(expect.arrayContaining(['curve.valLossArea', 'curve.epochsToBest', 'curve.epochsToTarget']));
    expect(Object.keys(comparison.curveTarget!.reached).sort()).toEqual([`${a}/activation=relu`, `${b}/lr=0.003`].sort());
    // Area per epoch by hand from one run's metrics.ndjson: two epochs, so the mean of the two val. losses.
    const other = `${b}/lr=0.003`;
    expect(runs[other].map((x) => x.seed).sort()).toEqual([2, 3, 4]);
    const areas = runs[other].map((x) => (x.epochs[0].valLoss! + x.epochs[1].valLoss!) / 2);
    expect(comparison.variants[1].metrics['curve.valLossArea'].mean).toBeCloseTo(mean(areas), 12);
    // Each run's last epoch record is its summary's final.valLoss.
    const finals = finalValLoss(b, 'lr=0.003');
    for (const x of runs[other]) {
      expect(x.epochs.map((e) => e.epoch)).toEqual([0, 1]);
      expect(x.epochs[1].valLoss).toBe(finals.get(x.seed));
    }
    // Paired over the two shared seeds, as every other metric.
    expect(comparison.variants[1].vsBaseline!['curve.valLossArea']!.n).toBe(2);
  });

  it('refuses experiments trained on other data, naming them and the field', async () => {
    const r = await call([
      { experimentId: a, variantIds: ['activation=relu'] },
      { experimentId: noisy, variantIds: ['activation=relu'] },
    ]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe(
      `${noisy} was trained on other data than ${a} (data.noise differ); ` +
        'runs are only compared on the same data: the same source, fields, split and preprocessing',
    );
  });

  it('refuses picks it cannot compare, saying which', async () => {
    const one = await call([{ experimentId: a, variantIds: ['activation=relu'] }]);
    expect(!one.ok && one.error).toMatch(/at least two experiments/);
    const twice = await call([
      { experimentId: a, variantIds: ['activation=relu'] },
      { experimentId: a, variantIds: ['activation=tanh'] },
    ]);
    expect(!twice.ok && twice.error).toBe(`experiment ${a} is picked twice`);
    const none = await call([
      { experimentId: a, variantIds: [] },
      { experimentId: b, variantIds: ['lr=0.01'] },
    ]);
    expect(!none.ok && none.error).toBe(`pick at least one variant of experiment ${a}`);
    const unknown = await call([
      { experimentId: a, variantIds: ['activation=gelu'] },
      { experimentId: b, variantIds: ['lr=0.01'] },
    ]);
    expect(!unknown.ok && unknown.error).toBe(
      `experiment ${a} has no variant "activation=gelu"; its variants: activation=relu, activation=tanh`,
    );
    const notPicked = await call(
      [
        { experimentId: a, variantIds: ['activation=relu'] },
        { experimentId: b, variantIds: ['lr=0.01'] },
      ],
      `${b}/lr=0.003`,
    );
    expect(!notPicked.ok && notPicked.error).toMatch(/the baseline "[^"]+\/lr=0\.003" is not among the picked variants/);
    const missing = await call([
      { experimentId: a, variantIds: ['activation=relu'] },
      { experimentId: 'no-such-experiment-1234abcd', variantIds: ['base'] },
    ]);
    expect(missing.ok).toBe(false);
  });

  it('guards its payload like every Api method', () => {
    const good = [
      { experimentId: 'e-1', variantIds: ['activation=relu'] },
      { experimentId: 'e-2', variantIds: ['base'] },
    ];
    expect(checkApiCall('compareExperiments', [good, null])).toBeNull();
    expect(checkApiCall('compareExperiments', [good, 'e-1/activation=relu'])).toBeNull();
    expect(checkApiCall('compareExperiments', [good])).toMatch(/takes 2 argument/);
    expect(checkApiCall('compareExperiments', ['e-1,e-2', null])).toMatch(/must be array/);
    expect(checkApiCall('compareExperiments', [[{ experimentId: '../etc', variantIds: ['x'] }], null])).toMatch(/must match pattern/);
    expect(checkApiCall('compareExperiments', [[{ experimentId: 'e', variantIds: ['x'], path: '/etc' }], null])).toMatch(
      /must NOT have additional properties/,
    );
    expect(checkApiCall('compareExperiments', [[{ experimentId: 'e' }], null])).toMatch(/must have required property 'variantIds'/);
    expect(checkApiCall('compareExperiments', [[{ experimentId: 'e', variantIds: [''] }], null])).toMatch(/fewer than 1 characters/);
    expect(checkApiCall('compareExperiments', [[{ experimentId: 'e', variantIds: [3] }], null])).toMatch(/must be string/);
    expect(checkApiCall('compareExperiments', [new Array(21).fill(good[0]), null])).toMatch(/more than 20 items/);
    expect(checkApiCall('compareExperiments', [[{ experimentId: 'e', variantIds: new Array(501).fill('v') }], null])).toMatch(
      /more than 500 items/,
    );
    expect(checkApiCall('compareExperiments', [good, ''])).toMatch(/fewer than 1 characters/);
    expect(checkApiCall('compareExperiments', [good, 'x'.repeat(2001)])).toMatch(/more than 2000 characters/);
  });
});
