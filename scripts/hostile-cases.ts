/**
 * The cases of the hostile suite (scripts/hostile.ts), each a thing a hostile-but-realistic user
 * does (issue 14): odd data files at full size, broken experiment files, bad flags, damaged stores,
 * kill -9 at random moments of a run, several writers on one experiment. Each runs the real CLI
 * under the watchdog (hostile-harness.ts) and throws with what went wrong; it returns a short
 * description of what it saw.
 */
import { readdirSync, readFileSync, symlinkSync, writeFileSync, rmSync, truncateSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import type { HostileFile } from '../test/fixtures/data/hostile.js';
import { spiralSpec } from '../test/helpers/experiments.js';
import { check, expectExit, root, type CaseContext } from './hostile-harness.js';

export interface HostileCase {
  name: string;
  group: 'data' | 'experiment' | 'flags' | 'store' | 'crash' | 'concurrency';
  /** Time budget of the case when not the suite's default: one file that must fail at once. */
  timeMs?: number;
  run(ctx: CaseContext): Promise<string>;
}

/** One bad file or flag, refused at once: about a second on a quiet machine. */
const ONE_FILE_MS = 60_000;

interface Summary {
  runId: string;
  weightsSha256: string | null;
  epochsRun: number;
  status: string;
}

function writeJson(ctx: CaseContext, name: string, value: unknown): string {
  const file = path.join(ctx.dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** A spiral experiment of `runs` runs (2 activations x runs/2 seeds), `epochs` each; `extra` replaces members. */
function spiral(ctx: CaseContext, name: string, runs: number, epochs: number, extra: Record<string, unknown> = {}): string {
  const seeds = Array.from({ length: runs / 2 }, (_, i) => i + 1);
  return writeJson(
    ctx,
    `${name}.json`,
    spiralSpec(name, { train: { epochs, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 } }, seeds, ...extra }),
  );
}

/** Trains the spiral experiment once into a fresh store of the case. */
async function trainOnce(ctx: CaseContext, name: string, runs: number, epochs: number) {
  const spec = spiral(ctx, name, runs, epochs);
  const store = path.join(ctx.dir, 'store');
  const first = await ctx.ablate(['run', spec, '--out', store, '--json']);
  expectExit(first, 0);
  const { dir, summaries } = JSON.parse(first.stdout) as { dir: string; summaries: Summary[] };
  return { spec, store, dir, summaries };
}

/** Every run's epoch records in metrics.ndjson equal its summary's epochsRun (the race once broke it). */
function checkRecords(experimentDir: string): void {
  for (const runId of readdirSync(path.join(experimentDir, 'runs')).filter((n) => !n.startsWith('.'))) {
    const dir = path.join(experimentDir, 'runs', runId);
    const s = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary;
    const epochs = readFileSync(path.join(dir, 'metrics.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"kind":"epoch"')).length;
    check(epochs === s.epochsRun, `${runId}: ${epochs} epoch records but the summary says ${s.epochsRun} epochs`);
  }
}

/** The full-size hostile data files, written once for all data cases (hostile.ts removes the folder). */
export interface SharedData {
  dir: string;
  files: () => Promise<HostileFile[]>;
}

function dataCases(data: SharedData): HostileCase[] {
  const names = [
    'five-million-images.idx3.gz',
    'tiny-claims-much.idx3.gz',
    'raw-claims-much.idx3',
    'labels-bomb.idx1.gz',
    'four-billion-labels.idx1.gz',
    'zero-labels.idx1',
    'zero.csv',
    'long-last-line.csv',
    'long-line.csv.gz',
  ];
  return names.map((name) => ({
    name: `data: ${name}`,
    group: 'data' as const,
    timeMs: ONE_FILE_MS,
    async run(ctx) {
      const f = (await data.files()).find((x) => x.name === name);
      if (!f) return 'skipped on this platform';
      const paths = Object.fromEntries(Object.entries(f.spec).map(([k, v]) => [k, k === 'source' ? v : path.join(data.dir, String(v))]));
      const spec = spiralSpec(`hostile ${name}`, { data: paths });
      const p = await ctx.ablate(['run', writeJson(ctx, 'exp.json', spec), '--out', path.join(ctx.dir, 'store')]);
      expectExit(p, 2, f.expect);
      return f.why;
    },
  }));
}

function experimentCases(): HostileCase[] {
  const brokenDir = path.join(root, 'test/fixtures/experiments/broken');
  const corpus: HostileCase = {
    name: `experiment: the broken-file corpus (${readdirSync(brokenDir).filter((f) => f.endsWith('.json')).length} files)`,
    group: 'experiment',
    async run(ctx) {
      for (const file of readdirSync(brokenDir).filter((f) => f.endsWith('.json'))) {
        const p = await ctx.ablate(['run', path.join(brokenDir, file), '--out', path.join(ctx.dir, 'store')]);
        const expected = readFileSync(path.join(brokenDir, file.replace(/\.json$/, '.expected.txt')), 'utf8')
          .split('\n')
          .filter(Boolean);
        expectExit(p, 2);
        for (const fragment of expected) check(p.stderr.includes(fragment), `${file}: stderr lacks "${fragment}"`);
      }
      return 'each exits 2 naming the problem';
    },
  };
  const hostile: [string, (ctx: CaseContext) => string, RegExp][] = [
    [
      '300,000 seeds (2 MB)',
      (ctx) => writeJson(ctx, 'seeds.json', spiralSpec('seeds', { seeds: Array.from({ length: 300_000 }, (_, i) => i) })),
      /seeds/,
    ],
    ['JSON nested 100,000 deep', (ctx) => writeJson(ctx, 'deep.json', '['.repeat(100_000) + ']'.repeat(100_000)), /deep\.json/],
    [
      'a 60 MB experiment file',
      (ctx) => writeJson(ctx, 'huge.json', JSON.stringify({ ...spiralSpec('huge'), description: 'x'.repeat(60 << 20) })),
      /huge\.json/,
    ],
    ['binary garbage', (ctx) => writeJson(ctx, 'garbage.json', '\u0000\u0001\u00ff'.repeat(1000)), /garbage\.json/],
    ...(process.platform === 'win32'
      ? []
      : ([
          ['/dev/zero as the experiment file', () => '/dev/zero', /dev\/zero.*not a regular file/],
          [
            'a named pipe as the experiment file',
            (ctx: CaseContext) => {
              const fifo = path.join(ctx.dir, 'pipe.json');
              spawnSync('mkfifo', [fifo]);
              return fifo;
            },
            /pipe\.json.*not a regular file/,
          ],
        ] as [string, (ctx: CaseContext) => string, RegExp][])),
  ];
  return [
    corpus,
    ...hostile.map(([what, make, pattern]) => ({
      name: `experiment: ${what}`,
      group: 'experiment' as const,
      timeMs: ONE_FILE_MS,
      async run(ctx: CaseContext) {
        const p = await ctx.ablate(['run', make(ctx), '--out', path.join(ctx.dir, 'store')]);
        expectExit(p, 2, pattern);
        return p.stderr.trim().split('\n')[0].slice(0, 90);
      },
    })),
  ];
}

function flagCases(): HostileCase[] {
  const example = path.join(root, 'examples/why-relu-beat-sigmoid.json');
  const flags: [string, string[], RegExp][] = [
    ['--workers 100000', ['run', example, '--workers', '100000'], /--workers 100000 is more than this machine can use/],
    [
      `--workers ${2 * availableParallelism() + 8}`,
      ['run', example, '--workers', String(2 * availableParallelism() + 8)],
      /is more than this machine can use/,
    ],
    ['--workers -1', ['run', example, '--workers', '-1'], /--workers/],
    ['--workers 1.5', ['run', example, '--workers', '1.5'], /must be a whole number/],
    ['--kernels gpu', ['run', example, '--kernels', 'gpu'], /--kernels must be/],
    ['an unknown flag', ['run', example, '--fast'], /--fast/],
    ['export --opset 99', ['export', root, '--opset', '99'], /--opset must be one of/],
    ['show of a missing folder', ['show', '/no/such/folder'], /no\/such\/folder/],
  ];
  return flags.map(([what, args, pattern]) => ({
    name: `flags: ${what}`,
    group: 'flags' as const,
    timeMs: ONE_FILE_MS,
    async run(ctx: CaseContext) {
      const p = await ctx.ablate(args);
      expectExit(p, 2, pattern);
      return 'exit 2, plain message';
    },
  }));
}

function storeCases(): HostileCase[] {
  return [
    {
      name: 'store: damaged runs (weights gone, /dev/zero, cut summary, config gone)',
      group: 'store',
      async run(ctx) {
        const { spec, store, dir, summaries } = await trainOnce(ctx, 'damaged', 4, 3);
        const runs = summaries.map((s) => path.join(dir, 'runs', s.runId));
        rmSync(path.join(runs[0], 'weights.bin'));
        if (process.platform !== 'win32') {
          rmSync(path.join(runs[1], 'weights.bin'));
          symlinkSync('/dev/zero', path.join(runs[1], 'weights.bin'));
        }
        truncateSync(path.join(runs[2], 'summary.json'), 10);
        rmSync(path.join(runs[3], 'config.json'));
        const list = await ctx.ablate(['list', store]);
        expectExit(list, 0);
        check(!/\b4\/4\b/.test(list.stdout), `list still says 4/4: ${list.stdout}`);
        for (const run of runs.slice(0, 2)) expectExit(await ctx.ablate(['export', run]), 2, /damaged/);
        const again = await ctx.ablate(['run', spec, '--out', store, '--json']);
        expectExit(again, 0);
        const retrained = (JSON.parse(again.stdout) as { summaries: Summary[] }).summaries;
        check(retrained.length === 4, `retrained ${retrained.length} runs, expected 4`);
        for (const s of retrained) {
          const before = summaries.find((o) => o.runId === s.runId)!;
          check(s.weightsSha256 === before.weightsSha256, `${s.runId}: retrained to other weights`);
        }
        check(!existsSync(path.join(runs[1], 'model.onnx')), 'an export of a damaged run left model.onnx');
        return 'listed as damaged, export exits 2, run retrains all 4 to the same weights';
      },
    },
  ];
}

function crashCase(): HostileCase {
  return {
    name: 'crash: kill -9 at random moments of `ablate run`, then resume',
    group: 'crash',
    async run(ctx) {
      // 16 runs of a few tenths of a second each on a quiet machine (1,200 rows, 64 hidden units).
      // Each round is killed at a random moment tied to its own progress, so that it lands on a
      // fast or a slow machine alike: the CLI's first line says how many runs are left (M), then
      // each run prints a start and an end line; the kill comes up to 50 ms (less than a run) after
      // a random one of the lines before the last run starts, so every round is killed mid-way.
      const spec = spiral(ctx, 'killed', 16, 40, {
        data: { source: 'synthetic', kind: 'spiral', n: 1200, classes: 3, noise: 0.05, seed: 1 },
        model: {
          inputSize: 2,
          hidden: [{ width: 64, activation: 'relu' }],
          outputSize: 3,
          head: 'softmax',
          init: { weights: 'he_uniform', bias: 'zeros' },
        },
      });
      const reference = await ctx.ablate(['run', spec, '--out', path.join(ctx.dir, 'reference'), '--json', '--workers', '2']);
      expectExit(reference, 0);
      const expected = new Map((JSON.parse(reference.stdout) as { summaries: Summary[] }).summaries.map((s) => [s.runId, s.weightsSha256]));
      const store = path.join(ctx.dir, 'store');
      let kills = 0;
      for (let round = 0; round < 8; round++) {
        let after = Infinity;
        let lines = 0;
        let armed = false;
        const p = ctx.ablateStart(['run', spec, '--out', store, '--workers', '2'], {
          onStderr: (text) => {
            const left = /(\d+) to train/.exec(text);
            if (left) after = 1 + Math.floor(Math.random() * Math.max(1, 2 * Number(left[1]) - 2));
            lines += (text.match(/\n/g) ?? []).length;
            if (lines < after || armed) return;
            armed = true;
            setTimeout(() => p.kill('SIGKILL'), Math.floor(Math.random() * 50));
          },
        });
        const r = await p.done;
        if (r.signal === 'SIGKILL') kills++;
      }
      check(kills >= 3, `only ${kills} of 8 kills landed before the run ended: make the experiment longer`);
      const finishedBeforeResume = (await ctx.ablate(['list', store])).stdout.match(/\b(\d+)\/16\b/)?.[1] ?? '0';
      const last = await ctx.ablate(['run', spec, '--out', store, '--json', '--workers', '2']);
      expectExit(last, 0);
      const dir = (JSON.parse(last.stdout) as { dir: string }).dir;
      for (const [runId, sha] of expected) {
        const s = JSON.parse(readFileSync(path.join(dir, 'runs', runId, 'summary.json'), 'utf8')) as Summary;
        check(s.weightsSha256 === sha, `${runId}: weights differ from the uninterrupted run after ${kills} kills`);
      }
      checkRecords(dir);
      const list = await ctx.ablate(['list', store]);
      check(/\b16\/16\b/.test(list.stdout), `list does not say 16/16: ${list.stdout}`);
      return `${kills} kills (${finishedBeforeResume}/16 runs done by then); resumed: each run once, same weights as uninterrupted`;
    },
  };
}

function concurrencyCases(): HostileCase[] {
  return [
    {
      name: 'concurrency: 4 `ablate run` on one experiment with a stale lock',
      group: 'concurrency',
      async run(ctx) {
        // The experiment with no run done and the lock of a killed process, as after a crash.
        const { spec, store, dir: experiment } = await trainOnce(ctx, 'racers', 8, 8);
        rmSync(path.join(experiment, 'runs'), { recursive: true });
        const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
        writeFileSync(
          path.join(experiment, '.writer.lock'),
          JSON.stringify({ pid: Number(dead), hostname: hostname(), since: new Date().toISOString() }),
        );
        const racers = Array.from({ length: 4 }, () => ctx.ablateStart(['run', spec, '--out', store, '--json', '--workers', '2']));
        const results = await Promise.all(racers.map((r) => r.done));
        let trained = 0;
        let dir = '';
        for (const r of results) {
          if (r.code === 0) {
            const out = JSON.parse(r.stdout) as { trained: number; dir: string };
            trained += out.trained;
            dir = out.dir;
          } else expectExit(r, 2, /already open for writing/);
        }
        check(dir !== '', 'no racer finished');
        const runs = readdirSync(path.join(dir, 'runs')).filter((n) => !n.startsWith('.'));
        check(runs.length === 8, `${runs.length} run folders, expected 8`);
        check(trained <= 8, `${trained} runs trained by the racers for 8 planned: some twice`);
        checkRecords(dir);
        return `${results.filter((r) => r.code === 0).length} racer(s) wrote, ${trained} runs trained, records match summaries`;
      },
    },
    {
      name: 'concurrency: claim stress, 16 processes x 40 rounds (and kills)',
      group: 'concurrency',
      async run(ctx) {
        const p = await ctx.script([path.join(root, 'scripts/hostile-lock-stress.ts'), '16', '40']);
        expectExit(p, 0);
        return p.stdout
          .trim()
          .split('\n')
          .map((l) => l.replace(/:.*?(\d+) bad rounds.*/, ': $1 bad rounds'))
          .join('; ');
      },
    },
  ];
}

export function hostileCases(data: SharedData): HostileCase[] {
  return [...dataCases(data), ...experimentCases(), ...flagCases(), ...storeCases(), crashCase(), ...concurrencyCases()];
}
