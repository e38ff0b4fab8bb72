/**
 * The kernel contract as data: one row per kernel, the single place a kernel's signature is
 * written. From it come (kernels/codegen.ts, `npm run gen:kernels`) the typed `Kernels` interface
 * every set implements (kernels.generated.ts) and the flat-ABI binding shared by the compiled sets
 * (flat-abi.generated.ts), and the native addon's argument readers (codegen-native.ts,
 * native/src/addon_args.generated.h), and test/kernel-contract.test.ts checks the WebAssembly module's
 * exports, the naive set and the committed generated files against it.
 *
 * A row: the kernel's name, what it computes (`doc`), the file holding its formula and reference
 * loops (`math`), its arguments in order with their kinds, and how callers split
 * the work (`partition`). Kinds: `tensor` (a Float32Array of at least `elements` floats, an
 * expression over the int arguments; `writes` when the kernel writes it), `int`, `float`, `bool`,
 * `struct` (an options object whose fields are scalars, in ABI order), and `result` (a Float64Array
 * whose element 0 receives the kernel's float64 result). No kernel returns a value: a returned
 * double crosses into JavaScript as a newly allocated heap number, and a training step allocates
 * nothing (issue 17).
 *
 * The flat ABI, shared by the compiled sets (the WebAssembly module, the native addon): the same
 * arguments in the same order, tensors and results as byte offsets into the run memory, bools as
 * 0/1, a struct as its fields in order; ints are i32 and floats f64 where a binary type exists.
 * Both read their floats from their instance's float block instead (a Float64Array the binding
 * fills, in argument order, before the call; the float arguments themselves are passed as 0):
 * Node-API receives every argument as a JavaScript value, and a double that is not a small
 * integer would be boxed into a new heap number per call; so would a double passed to a
 * WebAssembly function from a call site that has seen more than one instance (a thread's second
 * run; wasm/assembly/floats.ts). The WebAssembly module spells kernel names in snake_case
 * (flatExportName). Adding a kernel: a row here, its
 * reference loops in `math`, its fast implementations, then `npm run gen:kernels`.
 *
 * Pure data; any thread.
 */

export type ScalarKind = 'int' | 'float' | 'bool';

export interface TensorArg {
  name: string;
  kind: 'tensor';
  /** Minimum length in floats: a product of int argument names and integers, e.g. 'rows * inDim'. */
  elements: string;
  /** The kernel writes this tensor (otherwise it only reads it). */
  writes?: boolean;
}

export interface ScalarArg {
  name: string;
  kind: ScalarKind;
}

export interface StructArg {
  name: string;
  kind: 'struct';
  /** The TypeScript type of the options object, and the file (under src/engine) that declares it. */
  type: string;
  from: string;
  fields: readonly ScalarArg[];
}

/** A Float64Array view of the run memory; the kernel writes its result to element 0. */
export interface ResultArg {
  name: string;
  kind: 'result';
}

export type KernelArg = TensorArg | ScalarArg | StructArg | ResultArg;

/**
 * How callers split a kernel's work into calls without changing any output bit:
 *  - rows: by rows of the mini-batch; `views` are the tensors passed as views starting at the range's
 *    first row (the others are whole tensors);
 *  - features: by a feature range [range[0], range[1]) of `of` features; every tensor is whole,
 *    only the range's outputs are written, each summed over every row;
 *  - elements: by element ranges; every tensor is a view of the range.
 */
export type Partition =
  { by: 'rows'; views: readonly string[] } | { by: 'features'; range: readonly [string, string]; of: string } | { by: 'elements' };

export interface KernelDescriptor {
  name: string;
  doc: string;
  /** The file (under src/engine) with the formula and the reference loops. */
  math: string;
  args: readonly KernelArg[];
  partition: Partition;
}

const tensor = (name: string, elements: string): TensorArg => ({ name, kind: 'tensor', elements });
const output = (name: string, elements: string): TensorArg => ({ name, kind: 'tensor', elements, writes: true });
const int = (name: string): ScalarArg => ({ name, kind: 'int' });
const float = (name: string): ScalarArg => ({ name, kind: 'float' });
const bool = (name: string): ScalarArg => ({ name, kind: 'bool' });
const result = (name: string): ResultArg => ({ name, kind: 'result' });

export const KERNEL_CONTRACT: readonly KernelDescriptor[] = [
  {
    name: 'linearForward',
    doc: 'y(rows, out) = x(rows, in) w(out, in)^T + b(out).',
    math: 'layers/linear.ts',
    args: [
      tensor('x', 'rows * inDim'),
      tensor('w', 'outDim * inDim'),
      tensor('b', 'outDim'),
      output('y', 'rows * outDim'),
      int('rows'),
      int('inDim'),
      int('outDim'),
    ],
    partition: { by: 'rows', views: ['x', 'y'] },
  },
  {
    name: 'linearForwardFeatures',
    doc: 'For output features o in [o0, o1): y[r, o] = x[r, :] w[o, :] + b[o] for every row, each element with the bits linearForward gives it.',
    math: 'layers/linear.ts',
    args: [
      tensor('x', 'rows * inDim'),
      tensor('w', 'outDim * inDim'),
      tensor('b', 'outDim'),
      output('y', 'rows * outDim'),
      int('rows'),
      int('inDim'),
      int('outDim'),
      int('o0'),
      int('o1'),
    ],
    partition: { by: 'features', range: ['o0', 'o1'], of: 'outDim' },
  },
  {
    name: 'linearBackwardInput',
    doc: 'dX(rows, in) = dY(rows, out) w(out, in); added into dX when accumulate.',
    math: 'layers/linear.ts',
    args: [
      tensor('dY', 'rows * outDim'),
      tensor('w', 'outDim * inDim'),
      output('dX', 'rows * inDim'),
      int('rows'),
      int('inDim'),
      int('outDim'),
      bool('accumulate'),
    ],
    partition: { by: 'rows', views: ['dY', 'dX'] },
  },
  {
    name: 'linearBackwardWeight',
    doc: 'For output features o in [o0, o1): dW[o, :] = sum_r dY[r, o] x[r, :] and db[o] = sum_r dY[r, o] (overwritten).',
    math: 'layers/linear.ts',
    args: [
      tensor('dY', 'rows * outDim'),
      tensor('x', 'rows * inDim'),
      output('dW', 'outDim * inDim'),
      output('db', 'outDim'),
      int('rows'),
      int('inDim'),
      int('outDim'),
      int('o0'),
      int('o1'),
    ],
    partition: { by: 'features', range: ['o0', 'o1'], of: 'outDim' },
  },
  {
    name: 'activationForward',
    doc: 'out[i] = f(inp[i]) for i < n; `fn.code` from activationCode, `fn.alpha` for leaky_relu and elu.',
    math: 'layers/activation.ts',
    args: [
      { name: 'fn', kind: 'struct', type: 'ActivationFn', from: 'layers/activation.ts', fields: [int('code'), float('alpha')] },
      tensor('inp', 'n'),
      output('out', 'n'),
      int('n'),
    ],
    partition: { by: 'elements' },
  },
  {
    name: 'activationBackward',
    doc: "dInp[i] = dOut[i] * f'(inp[i]) (out[i] = f(inp[i]) may be used); dInp may alias dOut.",
    math: 'layers/activation.ts',
    args: [
      { name: 'fn', kind: 'struct', type: 'ActivationFn', from: 'layers/activation.ts', fields: [int('code'), float('alpha')] },
      tensor('inp', 'n'),
      tensor('out', 'n'),
      tensor('dOut', 'n'),
      output('dInp', 'n'),
      int('n'),
    ],
    partition: { by: 'elements' },
  },
  {
    name: 'bnStats',
    doc: 'For features f in [f0, f1) of x(rows, width): mean[f] and the biased variance[f] (two passes).',
    math: 'layers/batchnorm.ts',
    args: [
      tensor('x', 'rows * width'),
      output('mean', 'width'),
      output('variance', 'width'),
      int('rows'),
      int('width'),
      int('f0'),
      int('f1'),
    ],
    partition: { by: 'features', range: ['f0', 'f1'], of: 'width' },
  },
  {
    name: 'bnApply',
    doc: 'xhat = (x - mean) * rstd and y = xhat * gamma + beta, for rows of x(rows, width).',
    math: 'layers/batchnorm.ts',
    args: [
      tensor('x', 'rows * width'),
      tensor('mean', 'width'),
      tensor('rstd', 'width'),
      tensor('gamma', 'width'),
      tensor('beta', 'width'),
      output('xhat', 'rows * width'),
      output('y', 'rows * width'),
      int('rows'),
      int('width'),
    ],
    partition: { by: 'rows', views: ['x', 'xhat', 'y'] },
  },
  {
    name: 'bnBackwardReduce',
    doc: 'For features f in [f0, f1): dGamma[f] = sum_r dY * xhat and dBeta[f] = sum_r dY (overwritten).',
    math: 'layers/batchnorm.ts',
    args: [
      tensor('dY', 'rows * width'),
      tensor('xhat', 'rows * width'),
      output('dGamma', 'width'),
      output('dBeta', 'width'),
      int('rows'),
      int('width'),
      int('f0'),
      int('f1'),
    ],
    partition: { by: 'features', range: ['f0', 'f1'], of: 'width' },
  },
  {
    name: 'bnBackwardInput',
    doc: 'dX = gamma * rstd / batch * (batch * dY - dBeta - xhat * dGamma) for rows of a batch of `batch` rows; dX may alias dY.',
    math: 'layers/batchnorm.ts',
    args: [
      tensor('dY', 'rows * width'),
      tensor('xhat', 'rows * width'),
      tensor('gamma', 'width'),
      tensor('rstd', 'width'),
      tensor('dGamma', 'width'),
      tensor('dBeta', 'width'),
      output('dX', 'rows * width'),
      int('rows'),
      int('width'),
      int('batch'),
    ],
    partition: { by: 'rows', views: ['dY', 'xhat', 'dX'] },
  },
  {
    name: 'mul',
    doc: "out[i] = a[i] * b[i]; out may alias a (dropout's forward and backward).",
    math: 'layers/dropout.ts',
    args: [tensor('a', 'n'), tensor('b', 'n'), output('out', 'n'), int('n')],
    partition: { by: 'elements' },
  },
  {
    name: 'add',
    doc: "out[i] = a[i] + b[i]; out may alias a (the residual's forward).",
    math: 'layers/residual.ts',
    args: [tensor('a', 'n'), tensor('b', 'n'), output('out', 'n'), int('n')],
    partition: { by: 'elements' },
  },
  {
    name: 'addPenaltyGrad',
    doc: 'The penalty terms gradient: g[i] += 2 * l2 * p[i] + l1 * sign(p[i]) (sign(0) = 0).',
    math: 'losses/penalties.ts',
    // A struct, not two floats: l1 and l2 read from the config and passed as numbers were two new
    // heap numbers per call (the flat ABI is the same: a struct's fields in order).
    args: [
      tensor('p', 'n'),
      output('g', 'n'),
      int('n'),
      { name: 'penalties', kind: 'struct', type: 'Penalties', from: 'losses/penalties.ts', fields: [float('l1'), float('l2')] },
    ],
    partition: { by: 'elements' },
  },
  {
    name: 'sumSquares',
    doc: 'out[0] = sum of x[i]^2 accumulated in float64 in an order fixed by n alone; NaN and Infinity propagate.',
    math: 'optim/clipping.ts',
    args: [tensor('x', 'n'), int('n'), result('out')],
    partition: { by: 'elements' },
  },
  {
    name: 'sgdStep',
    doc: 'One SGD step (PyTorch 1.13) on n parameters; buf (the momentum buffer) is read and written only with momentum.',
    math: 'optim/sgd.ts',
    args: [
      output('p', 'n'),
      tensor('g', 'n'),
      output('buf', 'n'),
      int('n'),
      {
        name: 'args',
        kind: 'struct',
        type: 'SgdArgs',
        from: 'optim/sgd.ts',
        fields: [
          float('lr'),
          float('momentum'),
          float('dampening'),
          bool('nesterov'),
          float('weightDecay'),
          bool('first'),
          float('gradScale'),
          float('clipValue'),
        ],
      },
    ],
    partition: { by: 'elements' },
  },
  {
    name: 'adamStep',
    doc: 'One Adam or AdamW step (PyTorch) on n parameters with moments m and v.',
    math: 'optim/adam.ts',
    args: [
      output('p', 'n'),
      tensor('g', 'n'),
      output('m', 'n'),
      output('v', 'n'),
      int('n'),
      {
        name: 'args',
        kind: 'struct',
        type: 'AdamArgs',
        from: 'optim/adam.ts',
        fields: [
          float('beta1'),
          float('beta2'),
          float('eps'),
          float('weightDecay'),
          bool('decoupled'),
          float('stepSize'),
          float('bc2Sqrt'),
          float('decay'),
          float('gradScale'),
          float('clipValue'),
        ],
      },
    ],
    partition: { by: 'elements' },
  },
  {
    name: 'rmspropStep',
    doc: 'One RMSprop step (PyTorch 1.13) on n parameters with square average sq; ga is read and written only when centered, buf only with momentum.',
    math: 'optim/rmsprop.ts',
    args: [
      output('p', 'n'),
      tensor('g', 'n'),
      output('sq', 'n'),
      output('ga', 'n'),
      output('buf', 'n'),
      int('n'),
      {
        name: 'args',
        kind: 'struct',
        type: 'RmspropArgs',
        from: 'optim/rmsprop.ts',
        fields: [
          float('lr'),
          float('alpha'),
          float('eps'),
          float('weightDecay'),
          float('momentum'),
          bool('centered'),
          float('gradScale'),
          float('clipValue'),
        ],
      },
    ],
    partition: { by: 'elements' },
  },
  {
    name: 'adagradStep',
    doc: 'One Adagrad step (PyTorch 1.13) on n parameters with the running sum of squared gradients.',
    math: 'optim/adagrad.ts',
    args: [
      output('p', 'n'),
      tensor('g', 'n'),
      output('sum', 'n'),
      int('n'),
      {
        name: 'args',
        kind: 'struct',
        type: 'AdagradArgs',
        from: 'optim/adagrad.ts',
        fields: [float('clr'), float('eps'), float('weightDecay'), float('gradScale'), float('clipValue')],
      },
    ],
    partition: { by: 'elements' },
  },
];

/** Doubles in a compiled set's float block: at least the float arguments of any one kernel. */
export const FLOAT_BLOCK_SLOTS = 16;

/** The name of a kernel in the flat ABI: snake_case (linearForward -> linear_forward). */
export function flatExportName(kernel: string): string {
  return kernel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
