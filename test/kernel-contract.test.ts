/**
 * Every kernel set against the one table of kernel signatures (src/engine/kernels/contract.ts):
 * the generated interface and flat-ABI binding are what the table generates today; the naive set
 * implements each kernel with the declared arguments; the WebAssembly module exports each kernel
 * under its flat name with the flat ABI's binary types (read from the module itself: tensors,
 * ints and bools i32, floats f64); and each compiled set's wrappers check every tensor's length
 * as the table states (a view one float short throws) and every feature range against its bound.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderKernelFiles } from '../scripts/generate-kernels.js';
import { KERNEL_CONTRACT, flatExportName, type KernelDescriptor } from '../src/engine/kernels/contract.js';
import { naiveKernels } from '../src/engine/kernels/naive.js';
import { availableKernelSets, createKernels } from '../src/engine/kernels/select.js';
import { KERNELS_WASM_BASE64 } from '../src/engine/kernels/wasm/generated/kernels-wasm.js';
import { createRunMemory, KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../src/engine/memory/wasm-memory.js';
import { exportedSignatures, type ValType } from './helpers/wasm-signatures.js';

describe('kernel contract: generated code', () => {
  it('the committed generated files are what the contract generates (run `npm run gen:kernels`)', async () => {
    for (const [path, text] of await renderKernelFiles()) expect(readFileSync(path, 'utf8'), path).toBe(text);
  });
});

describe('kernel contract: the naive set', () => {
  it('implements exactly the contract, each kernel with every declared argument', () => {
    const { name, ...kernels } = naiveKernels;
    expect(name).toBe('naive');
    expect(Object.keys(kernels).sort()).toEqual(KERNEL_CONTRACT.map((k) => k.name).sort());
    for (const k of KERNEL_CONTRACT) expect((kernels as unknown as Record<string, () => void>)[k.name].length, k.name).toBe(k.args.length);
  });
});

describe('kernel contract: the WebAssembly module', () => {
  const signatures = exportedSignatures(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  const binaryType = (kind: string): ValType => (kind === 'float' ? 'f64' : 'i32');

  it('exports the contract (and set_scratch, set_float_block), nothing else', () => {
    expect([...signatures.keys()].sort()).toEqual(
      [...KERNEL_CONTRACT.map((k) => flatExportName(k.name)), 'set_scratch', 'set_float_block'].sort(),
    );
  });

  for (const k of KERNEL_CONTRACT) {
    it(`${flatExportName(k.name)} has the flat ABI's types`, () => {
      const params = k.args.flatMap((a) => (a.kind === 'struct' ? a.fields.map((f) => binaryType(f.kind)) : [binaryType(a.kind)]));
      expect(signatures.get(flatExportName(k.name))).toEqual({ params, results: [] });
    });
  }
});

/** Small valid arguments for kernel k: ints 3 (ranges span their bound), one view per tensor in `memory`. */
function validCall(k: KernelDescriptor, memory: WebAssembly.Memory, short?: string): unknown[] {
  const ints = new Map<string, number>();
  for (const a of k.args) if (a.kind === 'int') ints.set(a.name, a.name === 'code' ? 0 : 3);
  if (k.partition.by === 'features') {
    ints.set(k.partition.range[0], 0);
    ints.set(k.partition.range[1], ints.get(k.partition.of)!);
  }
  let offset = RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES;
  return k.args.map((a) => {
    // A struct's ints are codes (the activation's): 0 is a valid one.
    if (a.kind === 'struct')
      return Object.fromEntries(a.fields.map((f) => [f.name, f.kind === 'bool' ? false : f.kind === 'int' ? 0 : 0.5]));
    if (a.kind === 'result') {
      const view = new Float64Array(memory.buffer, offset, 1);
      offset += 64;
      return view;
    }
    if (a.kind !== 'tensor') return a.kind === 'int' ? ints.get(a.name) : a.kind === 'bool' ? false : 0.5;
    const n = a.elements.split('*').reduce((product: number, factor: string) => product * (ints.get(factor.trim()) ?? Number(factor)), 1);
    const view = new Float32Array(memory.buffer, offset, a.name === short ? n - 1 : n);
    offset += 64 * Math.ceil((4 * n) / 64);
    return view;
  });
}

describe('kernel contract: the compiled sets check what the contract states', () => {
  const compiled = availableKernelSets().filter((s) => s !== 'naive');

  it('there is at least one compiled set to check here', () => {
    expect(compiled.length).toBeGreaterThan(0);
  });

  for (const set of compiled) {
    const memory = createRunMemory(RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES + (1 << 16), true);
    const kernels = createKernels(set, memory, 0) as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const k of KERNEL_CONTRACT) {
      it(`${set}.${k.name}: accepts views of the stated lengths, rejects a view one float short`, () => {
        expect(() => kernels[k.name](...validCall(k, memory))).not.toThrow();
        for (const a of k.args) {
          if (a.kind !== 'tensor') continue;
          expect(() => kernels[k.name](...validCall(k, memory, a.name)), `${k.name}(${a.name} short)`).toThrow(RangeError);
        }
        if (k.partition.by === 'features') {
          const args = validCall(k, memory);
          const i = k.args.findIndex((a) => a.name === (k.partition.by === 'features' && k.partition.range[1]));
          args[i] = (args[i] as number) + 1;
          expect(() => kernels[k.name](...args)).toThrow(/bad feature range/);
        }
      });
    }
  }
});
