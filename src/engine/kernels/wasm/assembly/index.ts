/**
 * Entry of the wasm kernel module (built by scripts/build-wasm.mjs): re-exports every kernel. The
 * module imports one shared memory (env.memory), has no data segments and no start function, and
 * keeps only per-instance globals (the scratch region and the float block), so each thread
 * instantiates it on the run memory without touching another thread's state.
 */
export { set_float_block } from './floats';
export { set_scratch, linear_forward, linear_forward_features, linear_backward_input, linear_backward_weight } from './gemm';
export { activation_forward, activation_backward } from './activations';
export { bn_stats, bn_apply, bn_backward_reduce, bn_backward_input } from './batchnorm';
export { mul, add, add_penalty_grad, sum_squares } from './elementwise';
export { sgd_step, adam_step, rmsprop_step, adagrad_step } from './optim';
