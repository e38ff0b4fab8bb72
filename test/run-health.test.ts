/**
 * Run health (issue 13, item 1): a run whose training loss explodes is `diverged`, not done. The
 * rule: a NaN or infinite loss or gradient, or a step's training loss above
 * `train.divergenceFactor` (default 100) times the first step's loss. Checked in process against
 * the step losses the trainer reports (the rule computed here independently), then through the CLI
 * on the issue's own experiment (a spiral with SGD at lr 500 and 1e6): every run diverged, exit 1,
 * red words in `show` and `list`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIVERGENCE_FACTOR } from '../src/engine/config/defaults.js';
import { validateRunConfig } from '../src/engine/config/validate.js';
import type { StepEvent } from '../src/engine/train/outcome.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { issueSpiral } from './helpers/experiments.js';
import { classData, spiral } from './helpers/toy-data.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');

function spiralConfig(lr: number, divergenceFactor?: number | null) {
  const { model, train } = issueSpiral('', lr);
  return validateRunConfig({ seed: 1, model, train: { ...train, ...(divergenceFactor === undefined ? {} : { divergenceFactor }) } });
}

const data = () => {
  const { x, y } = spiral(200, 3, 1, 0.1);
  return classData(x, y, 2, 1, 0.1, 0.1);
};

function train(lr: number, factor?: number | null) {
  const steps: StepEvent[] = [];
  const { outcome } = trainInProcess(spiralConfig(lr, factor), data(), { hooks: { onStep: (s) => void steps.push(s) } });
  return { outcome, steps };
}

describe('divergence rule in the trainer', () => {
  it('defaults to a factor of 100', () => {
    expect(DEFAULT_DIVERGENCE_FACTOR).toBe(100);
    expect(spiralConfig(0.1).train.divergenceFactor).toBe(100);
  });

  it('stops the lr-500 spiral at the first step whose loss exceeds 100 x the first step loss', () => {
    const { outcome, steps } = train(500);
    expect(outcome.status).toBe('diverged');
    const first = steps[0].loss;
    const at = steps.findIndex((s) => !(s.loss <= 100 * first));
    expect(at).toBeGreaterThan(0);
    // The exploding step is recorded (its loss is the evidence), and is the last one trained.
    expect(steps).toHaveLength(at + 1);
    expect(outcome.divergedAtStep).toBe(steps[at].step);
    expect(outcome.steps).toBe(steps[at].step);
    expect(outcome.stopReason).toMatch(
      new RegExp(`^diverged at step ${steps[at].step} \\(epoch 1\\): the training loss [0-9.e+]+ exceeded 100 x the first step's loss`),
    );
    expect(outcome.test).toBeNull();
  });

  it('is configurable: a larger factor lets the run go on longer, null keeps only the NaN/infinity rule', () => {
    const strict = train(500);
    const lax = train(500, 1e30);
    expect(lax.outcome.steps).toBeGreaterThan(strict.outcome.steps);
    const off = train(500, null);
    expect(off.outcome.status).not.toBe('diverged'); // finite, exploded: exactly the symptom of issue 13
    expect(Math.max(...off.steps.map((s) => s.loss))).toBeGreaterThan(100 * off.steps[0].loss);
  });

  it('leaves a healthy run alone', () => {
    const { outcome, steps } = train(0.1);
    expect(outcome.status).toBe('completed');
    expect(Math.max(...steps.map((s) => s.loss))).toBeLessThan(2 * steps[0].loss);
  });

  it('rejects factors that are not above 1, naming the field', () => {
    for (const bad of [1, 0.5, -3, 'x'])
      expect(() => spiralConfig(0.1, bad as number)).toThrow(/train\.divergenceFactor: must be a (finite )?number/);
  });
});

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the issue 13 spiral through the CLI', () => {
  for (const lr of [500, 1e6]) {
    it(`lr ${lr}: every run is diverged, the CLI exits 1, show and list say diverged`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'ablate-health-'));
      const file = path.join(dir, 'spiral.json');
      writeFileSync(file, JSON.stringify(issueSpiral(`spiral lr ${lr}`, lr)));
      const run = ablate(['run', file, '--out', dir, '--json', '--workers', '2']);
      expect(run.code, run.stderr).toBe(1);
      const result = JSON.parse(run.stdout);
      expect(result.ok).toBe(false);
      expect(result.summaries.map((s: { status: string }) => s.status)).toEqual(Array(6).fill('diverged'));
      expect(run.stderr).not.toMatch(/: completed/);
      const show = ablate(['show', result.dir]);
      expect(show.code).toBe(1);
      expect(show.stdout.match(/diverged at step \d+/g)).toHaveLength(6);
      expect(show.stdout).not.toMatch(/\bdone\b|completed/);
      const list = ablate(['list', dir]);
      expect(list.stdout).toMatch(/6 diverged/);
    });
  }
});
