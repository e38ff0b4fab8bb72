/**
 * Measures the peers of Ablate's reference benchmark (src/bench/peers/reference-mlp.ts) on one
 * set of MNIST-shaped random data and prints a table of training samples per second.
 *
 *   npx tsx src/bench/standalone/peers.ts [--seconds S] [--peers tfjs-cpu,tfjs-wasm,pytorch]
 *
 * Data: n = 4096, pixels uniform in [0, 1), labels 0..9, from a seeded stream (src/bench/random.ts),
 * so every run and every peer sees the same numbers. Peers run one after another, never side by side: each
 * wants the whole machine, and the load average printed with the table says whether it had it.
 */
import { loadavg } from 'node:os';
import { benchPytorchBatches, type PytorchResult } from '../peers/pytorch.js';
import {
  BUSY_CPU_SHARE,
  REFERENCE_BATCH_SIZES,
  REFERENCE_CLASSES,
  REFERENCE_INPUT_DIM,
  REFERENCE_MODEL,
  referenceFlopsPerSample,
  type ReferenceData,
} from '../peers/reference-mlp.js';
import { benchTfjs, type TfjsBackend } from '../peers/tfjs.js';
import { benchStream } from '../random.js';
import { formatTable } from '../../services/text-table.js';

const N = 4096;
const SEED = 0x2545f491;
const ALL_PEERS = ['tfjs-cpu', 'tfjs-wasm', 'pytorch'] as const;
type Peer = (typeof ALL_PEERS)[number];

function makeData(n: number, seed: number): ReferenceData {
  const rng = benchStream(seed);
  const x = new Float32Array(n * REFERENCE_INPUT_DIM);
  for (let i = 0; i < x.length; i++) x[i] = (rng.nextU32() >>> 8) / 2 ** 24; // 24 bits: exact in float32, < 1
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(REFERENCE_CLASSES);
  return { x, y };
}

function parseArgs(argv: string[]): { seconds: number | undefined; peers: Peer[] } {
  let seconds: number | undefined;
  let peers: Peer[] = [...ALL_PEERS];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--seconds' && Number(value) > 0) seconds = Number(value);
    else if (flag === '--peers' && value !== undefined) {
      peers = value.split(',').map((p) => {
        if (!(ALL_PEERS as readonly string[]).includes(p)) throw new Error(`unknown peer ${p}; known: ${ALL_PEERS.join(', ')}`);
        return p as Peer;
      });
    } else throw new Error(`usage: bench-peers.ts [--seconds S] [--peers ${ALL_PEERS.join(',')}]`);
  }
  return { seconds, peers };
}

/** One measurement: samples/s and the share of the CPUs other processes took meanwhile. */
interface Cell {
  rate: number;
  othersCpu: number;
}
const flops = referenceFlopsPerSample();
const cell = (c: Cell | undefined): string =>
  c === undefined ? '-' : `${Math.round(c.rate)} (${((c.rate * flops) / 1e9).toFixed(1)} GF/s)${c.othersCpu > BUSY_CPU_SHARE ? '*' : ' '}`;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const { seconds, peers } = parseArgs(process.argv.slice(2));
  const data = makeData(N, SEED);
  const notes = new Map<string, string>();
  const rates = new Map<string, (Cell | undefined)[]>();
  const loadBefore = load();

  for (const backend of ['cpu', 'wasm'] as TfjsBackend[]) {
    const name = `tfjs-${backend}`;
    if (!peers.includes(name as Peer)) continue;
    const row: (Cell | undefined)[] = [];
    for (const batch of REFERENCE_BATCH_SIZES) {
      try {
        const r = await benchTfjs(backend, data, batch, { seconds });
        row.push({ rate: r.samplesPerSec, othersCpu: r.othersCpu });
        notes.set(name, r.note.replace(/; WARNING:.*$/, ''));
      } catch (err) {
        row.push(undefined);
        notes.set(name, `failed: ${(err as Error).message}`);
      }
      process.stderr.write(`${name} batch ${batch}: ${cell(row[row.length - 1])}\n`);
    }
    rates.set(name, row);
  }

  if (peers.includes('pytorch')) {
    try {
      const r = await benchPytorchBatches(data, REFERENCE_BATCH_SIZES, { seconds });
      if ('skipped' in r) notes.set('pytorch', r.note);
      else {
        const results: PytorchResult[] = r;
        rates.set(
          'pytorch 1 thread',
          results.map((x) => ({ rate: x.samplesPerSec1, othersCpu: x.othersCpu1 })),
        );
        rates.set(
          'pytorch 2 threads',
          results.map((x) => ({ rate: x.samplesPerSec2, othersCpu: x.othersCpu2 })),
        );
        rates.set(
          'pytorch best',
          results.map((x) => ({ rate: x.best, othersCpu: x.threadsBest === 1 ? x.othersCpu1 : x.othersCpu2 })),
        );
        // The notes differ only by their busy-machine warnings, which the table's '*' shows.
        notes.set(
          'pytorch',
          `${results[0].note.replace(/; WARNING:.*$/, '')}; best thread count per batch: ${results.map((x) => x.threadsBest).join('/')}`,
        );
      }
    } catch (err) {
      notes.set('pytorch', `failed: ${(err as Error).message}`);
    }
  }

  const header = ['peer \\ batch', ...REFERENCE_BATCH_SIZES.map(String)];
  const body = [...rates].map(([name, row]) => [name, ...row.map(cell)]);
  console.log(`Reference MLP ${REFERENCE_MODEL}, SGD, n=${N}: training samples/s (${flops} FLOP/sample)`);
  console.log(formatTable(header, body));
  console.log('');
  for (const [name, note] of notes) console.log(`${name}: ${note}`);
  const disturbed = [...rates.values()].flat().some((c) => c !== undefined && c.othersCpu > BUSY_CPU_SHARE);
  if (disturbed)
    console.log(`* other processes used more than ${BUSY_CPU_SHARE * 100} % of the CPUs during that measurement: not a fair figure`);
  console.log(`load average (1/5/15 min): ${loadBefore} before, ${load()} after`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
