/**
 * Fuzzing the experiment validator (issue 14): valid experiments (the examples and the valid
 * fixtures) with one member replaced by a generated value, ordinary or hostile (lists of hundreds
 * of thousands of items, megabyte strings, deep nesting, wide objects, huge widths), validated as
 * text (the CLI's path) or as a parsed value (the app's main process) and, when valid, expanded
 * into runs. Every input must end in a result or an ExperimentError, nothing else, within the
 * budget below. fast-check is seeded, so a failure names the input and reproduces.
 *
 * The budget is per input and generous: a quiet machine handles the slowest input here in about a
 * second and most in a few milliseconds; 30 s and 1 GB of heap catch the behaviour this guards
 * against (minutes, gigabytes), not a slow machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BudgetedWorker, bundleWorker } from './helpers/budget.js';
import type { ValidateInput, ValidateOutcome } from './helpers/validate-worker.js';

const BUDGET = { timeoutMs: 30_000, heapMb: 1024 };
const SEED = 20261205;
const RUNS = 200;

const root = path.join(import.meta.dirname, '..');
const bases: Record<string, unknown>[] = [
  ...readdirSync(path.join(root, 'examples')).map((f) => path.join(root, 'examples', f)),
  ...readdirSync(path.join(root, 'test/fixtures/experiments/valid')).map((f) => path.join(root, 'test/fixtures/experiments/valid', f)),
]
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(f, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>);

let worker: BudgetedWorker<ValidateInput, ValidateOutcome>;
beforeAll(async () => {
  worker = new BudgetedWorker(await bundleWorker('test/helpers/validate-worker.ts'), BUDGET);
});
afterAll(() => worker.close());

type Path = (string | number)[];

/** Every member path of a JSON value (the root excluded); `lists` keeps only those holding a list. */
function paths(v: unknown, lists = false, at: Path = []): Path[] {
  if (typeof v !== 'object' || v === null) return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => {
    const child = (v as Record<string | number, unknown>)[k];
    const own = !lists || Array.isArray(child) ? [[...at, k]] : [];
    return [...own, ...paths(child, lists, [...at, k])];
  });
}

function replaced(spec: unknown, at: Path, value: unknown): unknown {
  const copy = structuredClone(spec);
  let node = copy as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[at[at.length - 1]] = value;
  return copy;
}

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

/**
 * Values that are cheap to write and were (or could be) expensive to check, as small recipes (so a
 * failure prints the recipe, not a million items) built into the value only when used.
 */
const HOSTILE = {
  distinctIntegers: (n: number) => Array.from({ length: n }, (_, i) => i),
  sameInteger: (n: number) => Array.from({ length: n }, () => 7),
  layers: (n: number) => Array.from({ length: n }, (_, i) => ({ width: 8 + (i % 3), activation: 'relu' })),
  strings: (n: number) => Array.from({ length: n }, (_, i) => `value-${i}`),
  longString: (n: number) => 'x'.repeat(n * 30),
  // Deeper values cannot even be posted to a worker (or over the app's IPC): V8's serializer recurses.
  nesting: (n: number) => nested(n % 1000),
  wideObject: (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])),
  number: (n: number) => [65536, 40000, 1e308, -1e308, 2 ** 53, 0.5, -0, 1e-320, 4294967296][n % 9],
} as const;
const hostile = fc.record({
  recipe: fc.constantFrom(...(Object.keys(HOSTILE) as (keyof typeof HOSTILE)[])),
  n: fc.integer({ min: 20, max: 100_000 }),
});

const ordinary: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** Compare sections that make big grids: many factors, long factors, deep or wide models. */
const grids: fc.Arbitrary<unknown> = fc.record({
  depth: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 12 }),
  width: fc.array(fc.integer({ min: 1, max: 65536 }), { minLength: 1, maxLength: 20 }),
  lr: fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
});

const input = fc.record({
  base: fc.integer({ min: 0, max: bases.length - 1 }),
  pick: fc.nat(),
  kind: fc.constantFrom('ordinary', 'hostile', 'grid', 'seeds'),
  ordinary,
  hostile,
  grid: grids,
  seeds: fc.integer({ min: 1, max: 10_000 }),
  asText: fc.boolean(),
});

const times: number[] = [];
afterAll(() => {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]?.toFixed(0);
  console.log(`validation time per input: median ${at(0.5)} ms, 99th percentile ${at(0.99)} ms, slowest ${at(1)} ms`);
});

it(`validates ${RUNS} mutated experiments, each within ${BUDGET.timeoutMs / 1000} s and ${BUDGET.heapMb} MB`, async () => {
  await fc.assert(
    fc.asyncProperty(input, async (c) => {
      const base = bases[c.base];
      let spec: unknown;
      if (c.kind === 'grid') spec = { ...base, compare: c.grid };
      else if (c.kind === 'seeds') spec = { ...base, seeds: { count: c.seeds }, compare: c.grid };
      else {
        // Hostile values go where lists are (seeds, hidden layers, factor values...), the others anywhere.
        const all = paths(base, c.kind === 'hostile');
        const value =
          c.kind === 'hostile' ? HOSTILE[c.hostile.recipe](c.hostile.n * (c.hostile.recipe === 'distinctIntegers' ? 4 : 1)) : c.ordinary;
        spec = replaced(base, all[c.pick % all.length], value);
      }
      const r = await worker.call(c.asText ? { text: JSON.stringify(spec) } : { value: spec });
      times.push(r.ms);
      if (!r.ok) expect(r.name, r.message).toBe('ExperimentError');
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
}, 3_600_000);
