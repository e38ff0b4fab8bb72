/**
 * weights.bin's layout (issue 13.5): every tensor starts at a multiple of 16 floats inside its
 * section, and weights.index.json says where each one lies. An independent reader
 * (test/fixtures/store/read_weights.py: /usr/bin/python3 with numpy, the index and config.json
 * only) checks the layout and computes the trained model's logits, which must match Ablate's own
 * predictor; skipped, with a message, when numpy is not installed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { planModel, Predictor } from '../src/engine/index.js';
import type { RunSummary } from '../src/services/experiments/types.js';
import { WEIGHTS_ALIGN_FLOATS, type WeightsIndex } from '../src/services/store/weights-index.js';
import { loadTrainedModel } from '../src/services/trained-model.js';
import { spiralSpec } from './helpers/experiments.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const reader = path.join(root, 'test/fixtures/store/read_weights.py');
const python = '/usr/bin/python3';
const hasNumpy = fs.existsSync(python) && spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the engine plan pads every tensor to 16 floats, as the index says', () => {
  it('holds for models of many shapes', () => {
    for (const width of [1, 3, 15, 16, 17, 33]) {
      for (const batchNorm of ['none', 'pre'] as const) {
        const plan = planModel({
          inputSize: 7,
          hidden: [{ width, activation: 'relu', batchNorm }],
          outputSize: 3,
          head: 'softmax',
        } as never);
        for (const list of [plan.params, plan.buffers]) {
          let end = 0;
          for (const t of list) {
            expect(t.offset % WEIGHTS_ALIGN_FLOATS).toBe(0);
            expect(t.offset).toBe(end);
            end = t.offset + Math.ceil(t.size / WEIGHTS_ALIGN_FLOATS) * WEIGHTS_ALIGN_FLOATS;
          }
          expect(end).toBe(list === plan.params ? plan.paramCount : plan.bufferCount);
        }
      }
    }
  });
});

describe.skipIf(!hasNumpy)('weights.bin read back by an independent reader (numpy)', () => {
  it('finds every tensor where the index says, zero padding, the summary hash, and the same logits', async () => {
    const base = fs.mkdtempSync(path.join(tmpdir(), 'ablate-weights-'));
    dirs.push(base);
    const spec = spiralSpec('Layout', {
      model: {
        inputSize: 2,
        hidden: [
          { width: 5, activation: 'relu', batchNorm: 'pre' },
          { width: 7, activation: 'tanh', batchNorm: 'post' },
        ],
        outputSize: 3,
        head: 'softmax',
        init: { weights: 'he_uniform', bias: 'zeros' },
      },
      train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
      compare: { 'train.optimizer.lr': [0.01] },
      seeds: [1],
    });
    const specFile = path.join(base, 'layout.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bin/ablate.js'), 'run', specFile, '--out', path.join(base, 'store'), '--json'],
      {
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { dir: string; summaries: RunSummary[] };
    const runDir = path.join(out.dir, 'runs', out.summaries[0].runId);
    const index = JSON.parse(fs.readFileSync(path.join(runDir, 'weights.index.json'), 'utf8')) as WeightsIndex;
    expect(index.tensors.map((t) => t.name)).toContain('hidden.1.bn.running_var');
    expect(index.tensors.some((t) => t.floats % 16 !== 0)).toBe(true); // padding does occur in this model

    const { model } = await loadTrainedModel(runDir);
    const rows = Array.from({ length: 12 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 0.9) * 1.5]);
    const expected = new Predictor(model).predict(Float32Array.from(rows.flat()), rows.length);
    const inputs = path.join(base, 'inputs.json');
    fs.writeFileSync(inputs, JSON.stringify({ rows }));
    const py = spawnSync(python, [reader, runDir, inputs], { encoding: 'utf8', timeout: 120_000 });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as { logits: number[][]; paramsSha256: string; problems: string[] };
    expect(got.problems).toEqual([]);
    expect(got.paramsSha256).toBe(out.summaries[0].weightsSha256);
    const flat = got.logits.flat();
    expect(flat).toHaveLength(expected.length);
    for (let i = 0; i < flat.length; i++) expect(Math.abs(flat[i] - expected[i])).toBeLessThan(1e-4 * (1 + Math.abs(expected[i])));
  }, 600_000);
});

if (!hasNumpy) console.warn('store-weights.test.ts: /usr/bin/python3 with numpy not found; the independent weights reader is skipped');
