/**
 * The `ablate` CLI as a user runs it (the built bundle through bin/ablate.js): exit codes
 * (0 success, 1 a run failed or diverged, 2 bad input), one-paragraph messages without stack
 * traces for every file of the broken-experiment corpus, run/list/show/export on a real small
 * experiment, and resume after the process is killed mid-experiment.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spiralSpec } from './helpers/experiments.js';
import { darkPixels, decodePng } from './helpers/png-decode.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');
const brokenDir = path.join(root, 'test/fixtures/experiments/broken');

function ablate(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ablate-cli-'));

function writeSpec(dir: string, spec: unknown): string {
  const file = path.join(dir, 'experiment.json');
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at [\w.<>]+ \(|node:internal/);

describe('usage and exit codes', () => {
  it('prints usage and version', () => {
    expect(ablate([]).code).toBe(2);
    expect(ablate(['help'])).toMatchObject({ code: 0 });
    expect(ablate(['help']).stdout).toMatch(/ablate run <experiment\.json>/);
    expect(ablate(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects unknown commands, flags and missing files with exit 2', () => {
    const unknown = ablate(['train']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "train"/);
    const flag = ablate(['run', 'x.json', '--fast']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/run: .*--fast/);
    const missing = ablate(['run', 'no-such-file.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read no-such-file\.json: no such file/);
    expect(ablate(['run', 'x.json', '--workers', '0']).stderr).toMatch(/--workers must be a whole number of at least 1/);
    for (const r of [unknown, flag, missing]) noStack(r.stderr);
  });

  it('rejects a bad bench --pairs or --kernels before measuring anything', () => {
    for (const pairs of ['0', '2.5', 'many', '100']) {
      const r = ablate(['bench', '--only', 'train', '--pairs', pairs]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--pairs must be a whole number from 1 to 99, got "${pairs}"`);
      expect(r.stdout).not.toMatch(/samples\/s/);
      noStack(r.stderr);
    }
    const kernels = ablate(['bench', '--only', 'train', '--kernels', 'native,gpu']);
    expect(kernels.code).toBe(2);
    expect(kernels.stderr).toMatch(/--kernels: "gpu" is not a kernel set available here; available: .*wasm/);
    expect(kernels.stdout).toBe('');
  });
});

describe('broken experiment files', () => {
  const files = readdirSync(brokenDir).filter((f) => f.endsWith('.json'));
  it('has a corpus of at least 15 broken files', () => expect(files.length).toBeGreaterThanOrEqual(15));
  for (const file of files) {
    it(`${file}: exit 2 with a message naming the problem`, () => {
      const r = ablate(['run', path.join(brokenDir, file), '--out', tmp()]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const expected = readFileSync(path.join(brokenDir, file.replace(/\.json$/, '.expected.txt')), 'utf8')
        .split('\n')
        .filter(Boolean);
      for (const fragment of expected) expect(r.stderr).toContain(fragment);
      noStack(r.stderr);
    });
  }
});

describe('run, list, show, export', () => {
  it('trains an experiment, lists it, shows seed statistics and exports a validated model', () => {
    const dir = tmp();
    const out = path.join(dir, 'store');
    const file = writeSpec(dir, spiralSpec('cli round trip'));
    const run = ablate(['run', file, '--out', out, '--json', '--workers', '2']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: true, runs: 4, trained: 4 });
    expect(result.summaries.map((s: { status: string }) => s.status)).toEqual(['completed', 'completed', 'completed', 'completed']);

    const list = ablate(['list', out]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/cli-round-trip-[0-9a-f]{8}\s+cli round trip\s+.*4\/4/);

    const show = ablate(['show', result.dir, '--json']);
    expect(show.code).toBe(0);
    const stats = JSON.parse(show.stdout).statistics;
    expect(stats.baseline).toBe('activation=relu');
    const tanh = stats.variants.find((v: { variantId: string }) => v.variantId === 'activation=tanh');
    expect(tanh.metrics['final.valLoss'].n).toBe(2);
    expect(tanh.vsBaseline['final.valLoss'].n).toBe(2);
    expect(ablate(['show', result.dir]).stdout).toMatch(/relu \(baseline\)/);
    // Curve summaries: each run's validation accuracy curve read from its metrics.ndjson, its
    // trapezoid area over the epochs divided by their span, averaged over the variant's seeds.
    const areaOf = (runId: string) => {
      const acc: number[] = readFileSync(path.join(result.dir, 'runs', runId, 'metrics.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .filter((r) => r.kind === 'epoch')
        .map((r) => r.valAccuracy);
      let area = 0;
      for (let i = 1; i < acc.length; i++) area += (acc[i] + acc[i - 1]) / 2;
      return area / (acc.length - 1);
    };
    const tanhAreas = result.summaries
      .filter((s: { variantId: string }) => s.variantId === 'activation=tanh')
      .map((s: { runId: string }) => areaOf(s.runId));
    expect(tanhAreas).toHaveLength(2);
    expect(tanh.metrics['curve.valAccuracyArea'].mean).toBeCloseTo((tanhAreas[0] + tanhAreas[1]) / 2, 12);
    expect(tanh.vsBaseline['curve.valAccuracyArea'].n).toBe(2);
    expect(ablate(['show', result.dir, '--target', '0.5']).stdout).toMatch(
      /curve\.epochsToTarget the first epoch with valAccuracy >= 0\.5 \(given\)/,
    );
    expect(ablate(['show', result.dir, '--target', 'high']).code).toBe(2);

    // The one-file report: the results table's figures are show's, to 4 significant digits.
    const reportFile = path.join(dir, 'report.html');
    const figures = path.join(dir, 'figures');
    const metricsCsv = path.join(dir, 'metrics.csv');
    const written = ablate(['report', result.dir, '--out', reportFile, '--figures', figures, '--metrics', metricsCsv]);
    expect(written.code, written.stderr).toBe(0);
    // Each figure alone as SVG with its caption; every metric record in the export's long layout.
    const svgs = readdirSync(figures).sort();
    expect(svgs).toEqual([
      'activation-variance-first.svg',
      'activations-layer-1.svg',
      'curve-trainAccuracy.svg',
      'curve-trainLoss.svg',
      'curve-valAccuracy.svg',
      'curve-valLoss.svg',
      'gradient-flow-first.svg',
      'gradient-flow-last.svg',
      'run-boundaries.svg',
      'run-disagreement.svg',
      'unit-responses-activation_relu.svg',
      'unit-responses-activation_tanh.svg',
    ]);
    expect(readFileSync(path.join(figures, 'curve-valLoss.svg'), 'utf8')).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*><desc>Validation loss per epoch: /,
    );
    // The same figures as PNG, 900 px wide, drawn in plain Node: decoded independently, each has
    // the SVG's aspect ratio, ink, and its title (black text centred in the SVG's top 24 px).
    const pngDir = path.join(dir, 'png');
    const asPng = ablate([
      'report',
      result.dir,
      '--out',
      path.join(dir, 'r2.html'),
      '--figures',
      pngDir,
      '--format',
      'png',
      '--width',
      '900',
    ]);
    expect(asPng.code, asPng.stderr).toBe(0);
    expect(readdirSync(pngDir).sort()).toEqual(svgs.map((f) => f.replace(/\.svg$/, '.png')));
    let titled = 0;
    for (const f of svgs) {
      const svg = readFileSync(path.join(figures, f), 'utf8');
      const [, w, h] = /^<svg[^>]*\swidth="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number);
      const png = decodePng(readFileSync(path.join(pngDir, f.replace(/\.svg$/, '.png'))));
      expect(png.width, f).toBe(900);
      expect(Math.abs(png.height - (900 * h) / w), f).toBeLessThanOrEqual(1);
      expect(darkPixels(png, [0, 0, png.width, png.height], 250), f).toBeGreaterThan(0.01 * png.width * png.height);
      // Line charts title themselves in bold black at the top centre (y = 18): the text is drawn.
      if (/<text x="[\d.]+" y="18" text-anchor="middle" font-weight="600">/.test(svg)) {
        titled++;
        expect(darkPixels(png, [Math.round(0.2 * 900), 0, Math.round(0.8 * 900), Math.round((24 * 900) / w)]), f).toBeGreaterThan(50);
      }
    }
    expect(titled).toBeGreaterThanOrEqual(4);
    expect(ablate(['report', result.dir, '--figures', pngDir, '--format', 'png', '--width', '12']).stderr).toMatch(
      /--width must be a whole number of pixels from 16 to 8000, got "?12"?/,
    );
    expect(ablate(['report', result.dir, '--figures', pngDir, '--format', 'jpeg']).stderr).toMatch(/--format must be svg or png/);
    const lines = written.stdout.trim().split('\n');
    expect([lines[0], lines.at(-1)]).toEqual([reportFile, metricsCsv]);
    expect(lines.slice(1, -1).sort()).toEqual(svgs.map((f) => path.join(figures, f)));
    const csv = readFileSync(metricsCsv, 'utf8').split('\n');
    expect(csv[0]).toBe('experiment,run,variant,seed,state,kind,step,epoch,layer,metric,value,text');
    expect(csv.filter((l) => l.includes(',epoch,') && l.includes(',valLoss,'))).toHaveLength(4 * 8); // 4 runs x 8 epochs
    const html = readFileSync(reportFile, 'utf8');
    // Signal at initialization: each tanh run's stored signal record (read from its
    // metrics.ndjson), the variances of dLoss/dz averaged over runs, layer 1 against the output
    // layer as a ratio of standard deviations.
    const records = (runId: string) =>
      readFileSync(path.join(result.dir, 'runs', runId, 'metrics.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    const tanhRuns = result.summaries
      .filter((s: { variantId: string }) => s.variantId === 'activation=tanh')
      .map((s: { runId: string }) => s.runId);
    const signals = tanhRuns.map((id: string) => records(id).find((r) => r.kind === 'signal'));
    expect(signals.map((r: { step: number }) => r.step)).toEqual([0, 0]);
    const meanVar = (layer: number, key: 'gradVar' | 'activationVar') =>
      signals.reduce((a: number, r: { layers: Array<Record<string, number>> }) => a + r.layers[layer][key], 0) / 2;
    const ratio = Math.sqrt(meanVar(0, 'gradVar') / meanVar(1, 'gradVar'));
    const ratioText = ratio < 1 ? `${Number((1 / ratio).toPrecision(3))}x smaller` : `${Number(ratio.toPrecision(3))}x larger`;
    const v4 = (v: number) => String(Number(v.toPrecision(4)));
    expect(html).toContain(
      `<tr><td>tanh</td><td>signal record: first training batch, no update</td><td>${ratioText} (σ of ∂L/∂z)</td><td>${v4(meanVar(0, 'activationVar'))}</td>`,
    );
    // A run stored before the record existed: the report falls back to step 1's diagnostics, and says so.
    for (const id of tanhRuns) {
      const file = path.join(result.dir, 'runs', id, 'metrics.ndjson');
      const kept = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !line.includes('"kind":"signal"'));
      writeFileSync(file, kept.join('\n'));
    }
    const old = path.join(dir, 'old.html');
    expect(ablate(['report', result.dir, '--out', old]).code).toBe(0);
    const firstDiag = (id: string) => records(id).find((r) => r.kind === 'diag');
    const diags = tanhRuns.map(firstDiag);
    const meanGrad = (layer: number) =>
      diags.reduce((a: number, d: { layers: Array<{ gradNorm: number }> }) => a + d.layers[layer].gradNorm, 0) / 2;
    const r1 = meanGrad(0) / meanGrad(1);
    const oldText = r1 < 1 ? `${Number((1 / r1).toPrecision(3))}x smaller` : `${Number(r1.toPrecision(3))}x larger`;
    expect(readFileSync(old, 'utf8')).toContain(
      `<tr><td>tanh</td><td>no signal record (runs stored before it): diagnostics at step 1</td><td>${oldText} (‖∂L/∂W‖)</td>`,
    );
    const sig = (v: number) => String(Number(v.toPrecision(4)));
    const vl = tanh.metrics['weights.valLoss'];
    expect(html).toContain(`${sig(vl.mean)} [${sig(vl.lower)}, ${sig(vl.upper)}] <span class="n">n = 2, few seeds</span>`);
    expect(html).toContain('&quot;name&quot;: &quot;cli round trip&quot;'); // the experiment file
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(4);
    const nowhere = ablate(['report', path.join(dir, 'nowhere')]);
    expect(nowhere.code).toBe(2);
    noStack(nowhere.stderr);
    expect(ablate(['report', result.dir, '--out', path.join(dir, 'report.txt')]).stderr).toMatch(/--out must name an \.html file/);
    expect(ablate(['report', result.dir, '--metrics', path.join(dir, 'm.txt')]).stderr).toMatch(
      /--metrics must name a \.csv or \.json file/,
    );

    const runDir = path.join(result.dir, 'runs', result.summaries[0].runId);
    const exp = ablate(['export', runDir, '--json']);
    expect(exp.code, exp.stderr).toBe(0);
    const report = JSON.parse(exp.stdout).report;
    expect(report.passed).toBe(true);
    expect(statSync(path.join(runDir, 'model.onnx')).size).toBe(report.fileBytes);
  });

  it('exits 1 when a run diverges, and export refuses its weights', () => {
    const dir = tmp();
    const spec = {
      ...spiralSpec('diverges', { seeds: [1] }),
      compare: undefined,
      data: { source: 'synthetic', kind: 'sine', n: 200, noise: 0.1, seed: 1 },
      model: {
        inputSize: 1,
        hidden: [{ width: 16, activation: 'tanh' }],
        outputSize: 1,
        head: 'linear',
        init: { weights: 'glorot_uniform', bias: 'zeros' },
      },
      train: { epochs: 5, batchSize: 16, optimizer: { name: 'sgd', lr: 50, momentum: 0.9 } },
    };
    const run = ablate(['run', writeSpec(dir, spec), '--out', dir, '--json']);
    expect(run.code).toBe(1);
    const s = JSON.parse(run.stdout).summaries[0];
    expect(s.status).toBe('diverged');
    const exp = ablate(['export', path.join(JSON.parse(run.stdout).dir, 'runs', s.runId)]);
    expect(exp.code).toBe(2);
    expect(exp.stderr).toMatch(/diverged \(diverged at step \d+.*nothing meaningful to export/);
  });
});

describe('resume after a crash', () => {
  it('keeps completed runs and reruns the incomplete ones after the process is killed', async () => {
    const dir = tmp();
    const out = path.join(dir, 'store');
    const spec = spiralSpec('resume', { train: { epochs: 40, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 } }, seeds: [1, 2, 3] });
    const file = writeSpec(dir, spec);
    // Kill the first process as soon as one run has finished.
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'run', file, '--out', out, '--workers', '1'], { cwd: root });
      let err = '';
      child.stderr.on('data', (d) => {
        err += String(d);
        if (/\[1\/6\]/.test(err)) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended with ${code}: ${err}`))));
    });
    const [expDir] = readdirSync(out);
    const runsDir = path.join(out, expDir, 'runs');
    const done = readdirSync(runsDir).filter((r) => {
      try {
        return JSON.parse(readFileSync(path.join(runsDir, r, 'summary.json'), 'utf8')).status === 'completed';
      } catch {
        return false;
      }
    });
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(6);
    const before = new Map(done.map((r) => [r, readFileSync(path.join(runsDir, r, 'summary.json'), 'utf8')]));

    const again = ablate(['run', file, '--out', out, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${done.length} already complete, ${6 - done.length} to train`);
    const result = JSON.parse(again.stdout);
    expect(result.trained).toBe(6 - done.length);
    for (const [r, text] of before) expect(readFileSync(path.join(runsDir, r, 'summary.json'), 'utf8')).toBe(text);
    const all = readdirSync(runsDir).map((r) => JSON.parse(readFileSync(path.join(runsDir, r, 'summary.json'), 'utf8')).status);
    expect(all).toEqual(Array(6).fill('completed'));
  });
});
