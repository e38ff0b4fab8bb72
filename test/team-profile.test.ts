/**
 * The team's barrier profile (run/team.ts), which the bench reads to tell imbalance from
 * descheduling: every team member reports its barriers by phase, and a training step has the
 * phases train/step.ts promises. Counted by hand from the step's structure, for a team (which
 * first gathers the rows and computes the first layer by features: two row-phase barriers more):
 * - no batch norm: gather, first layer, rows (forward + every layer's input gradient), weights,
 *   update = 5 per step;
 * - batch norm on both hidden layers: gather, first layer (2), rows and statistics per hidden
 *   layer (2 + 2), then backward rows/blocks down to the upper norm, to the lower norm, to the
 *   input (3 + 3), update = 13.
 * Needs the compiled worker (out/engine/worker.js, built by `npm run build:engine`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { classData, spiral } from './helpers/toy-data.js';

const workerPath = fileURLToPath(new URL('../out/engine/worker.js', import.meta.url));
const { x, y } = spiral(100, 3, 4);
const data = classData(x, y, 2, 2, 0.2, 0.1);

function config(batchNorm: 'none' | 'pre') {
  return validateRunConfig({
    seed: 3,
    model: {
      inputSize: 2,
      hidden: [
        { width: 24, activation: 'relu', batchNorm },
        { width: 24, activation: 'relu', batchNorm },
      ],
      outputSize: 3,
      head: 'softmax',
      init: { weights: 'he_uniform', bias: 'zeros' },
    },
    train: { epochs: 2, batchSize: 48, optimizer: { name: 'sgd', lr: 0.05 } },
  });
}

let pool: WorkerPool;
beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
  pool = new WorkerPool({ workerPath, size: 2 });
  pool.addDataset('spiral', { features: data.features, d: 2, labels: data.labels, values: null, width: 1 });
});
afterAll(async () => {
  await pool.shutdown();
});

describe('team profile', () => {
  it.each([
    ['none', { rows: 3, weights: 1, update: 1 }],
    ['pre', { rows: 7, batchNorm: 2, weights: 3, update: 1 }],
  ] as const)('counts the barriers of each phase per step (batch norm %s)', async (bn, perStep) => {
    const r = await pool.submit({
      config: config(bn),
      datasetId: 'spiral',
      train: data.train,
      validation: data.validation,
      test: data.test,
      threads: 2,
      kernels: 'wasm',
    }).result;
    expect(r.outcome.status).toBe('completed');
    const steps = r.outcome.steps;
    expect(steps).toBeGreaterThan(0);
    expect(r.teamProfiles).toHaveLength(2);
    for (const member of r.teamProfiles!) {
      const byPhase = Object.fromEntries(member.phases.filter((p) => p.phase !== 'other').map((p) => [p.phase, p.barriers / steps]));
      expect(byPhase).toEqual(perStep);
      for (const p of member.phases) {
        expect(p.sleeps).toBeLessThanOrEqual(p.barriers);
        expect(p.waitSeconds).toBeGreaterThanOrEqual(0);
        expect(p.workSeconds).toBeGreaterThanOrEqual(0);
      }
      if (process.platform === 'linux') expect(member.cpuSeconds).toBeGreaterThanOrEqual(0);
    }
  });
});
