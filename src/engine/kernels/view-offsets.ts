/**
 * The view check of the compiled kernel sets (wasm, native): a tensor argument must be a view of
 * the run memory's buffer holding at least the elements the call needs (floats; a result's one
 * double), and reaches the kernel as
 * its byteOffset. Cheap comparisons per call, so a wrong view throws instead of corrupting other
 * tensors. Allocates only the returned function, once per set instance.
 */
import type { ViewOffset } from './flat-abi.generated.js';
import type { KernelSetName } from './sets.js';

export function viewOffsets(name: KernelSetName, buffer: ArrayBufferLike): ViewOffset {
  return (a, n) => {
    if (a.buffer !== buffer)
      throw new RangeError(`${name} kernels: a tensor is not a view of the run memory these kernels were created for`);
    if (a.length < n) throw new RangeError(`${name} kernels: a view has ${a.length} elements, the call needs ${n}`);
    return a.byteOffset;
  };
}
