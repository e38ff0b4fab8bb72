/**
 * `ablate report` on a trained network with residual projections P (2 -> 16 -> 16 -> 8, every
 * hidden layer residual: P at hidden layers 1 and 3, where the width changes; layer 2 adds its
 * input as it is). The report's gradient flow averages each P's gradient norm over the runs (checked
 * against the runs' own metrics.ndjson, read here), and its figure draws and names them: the
 * figure file and the HTML both say "· P". Before issue 21's P reached the report, neither did.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gatherReport } from '../src/services/report/report-data.js';
import { loadExperiment } from '../src/services/store/reader.js';
import { spiralSpec } from './helpers/experiments.js';

const bin = fileURLToPath(new URL('../bin/ablate.js', import.meta.url));
const ablate = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

/** A run's diag records' P gradient norms: [record][hidden layer] (null without a P). */
function projectionNorms(runDir: string): Array<Array<number | null>> {
  return readFileSync(path.join(runDir, 'metrics.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((r) => r.kind === 'diag')
    .map((r) => r.layers.map((l: { projection?: { gradNorm: number } | null }) => l.projection?.gradNorm ?? null));
}

describe('the report of a network with residual projections', () => {
  it('averages, draws and names each P in the gradient flow', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-report-p-'));
    const spec = spiralSpec('residual projections in the report', {
      compare: { activation: ['relu', 'tanh'] },
      seeds: [1, 2],
      train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    });
    spec.model.hidden = [16, 16, 8].map((width) => ({ width, activation: 'relu', residual: true }));
    writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(spec));
    const run = ablate(['run', path.join(dir, 'experiment.json'), '--out', path.join(dir, 'store'), '--json', '--workers', '2']);
    expect(run.status, run.stderr).toBe(0);
    const experimentDir: string = JSON.parse(run.stdout).dir;

    const data = await gatherReport(await loadExperiment(experimentDir));
    const relu = data.gradientFlow.find((g) => g.label === 'relu')!;
    const runs = readdirSync(path.join(experimentDir, 'runs'))
      .map((r) => path.join(experimentDir, 'runs', r))
      .filter((r) => JSON.parse(readFileSync(path.join(r, 'summary.json'), 'utf8')).variantId === 'activation=relu');
    expect(runs).toHaveLength(2);
    const norms = runs.map(projectionNorms);
    for (const [which, pick] of [
      ['first', (rs: Array<Array<number | null>>) => rs[0]],
      ['last', (rs: Array<Array<number | null>>) => rs[rs.length - 1]],
    ] as const) {
      const [a, b] = norms.map(pick);
      // P where the width changes only: layer 1 (2 -> 16) and layer 3 (16 -> 8); none on the output.
      expect(a.map((v) => v !== null)).toEqual([true, false, true, false]);
      expect(relu[which].projections.map((p) => p.layer)).toEqual([0, 2]);
      relu[which].projections.forEach((p) => expect(p.gradNorm).toBeCloseTo((a[p.layer]! + b[p.layer]!) / 2, 12));
    }

    const file = path.join(dir, 'report.html');
    const figures = path.join(dir, 'figures');
    const report = ablate(['report', experimentDir, '--out', file, '--figures', figures]);
    expect(report.status, report.stderr).toBe(0);
    for (const which of ['first', 'last']) {
      const svg = readFileSync(path.join(figures, `gradient-flow-${which}.svg`), 'utf8');
      for (const label of ['relu', 'tanh']) expect(svg).toContain(`<title>${label} · P</title>`);
      expect(svg).toMatch(/stroke-dasharray="2 3"/);
      expect(svg).toMatch(/residual projection P/);
    }
    expect(readFileSync(file, 'utf8')).toMatch(/the residual projection P of a hidden layer whose width differs from its input/);
  });
});
