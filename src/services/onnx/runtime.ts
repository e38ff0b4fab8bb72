/**
 * The one place that loads onnxruntime-node: lazily (a dynamic import on first use, never at
 * module load, so the app starts without it), once per process (the promise is cached; a failed
 * load is not cached so a later call can retry), and only on the main thread: the native binding
 * must not be loaded into worker threads (the engine's training workers never touch it).
 */
import { isMainThread } from 'node:worker_threads';
import { errorMessage } from '../../engine/index.js';
import { OnnxError } from './errors.js';

export type OnnxRuntime = typeof import('onnxruntime-node');

let loading: Promise<OnnxRuntime> | null = null;
let loadedOnce = false;

export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  if (!isMainThread) return Promise.reject(new OnnxError('onnxruntime is loaded only on the main thread, not in worker threads'));
  loading ??= import('onnxruntime-node').then(
    (ort) => {
      loadedOnce = true;
      return ort;
    },
    (err: unknown) => {
      loading = null;
      throw new OnnxError(`onnxruntime-node could not be loaded: ${errorMessage(err)}`, { cause: err });
    },
  );
  return loading;
}

/** Whether onnxruntime has already been loaded in this process (for timing reports). */
export function onnxRuntimeLoaded(): boolean {
  return loadedOnce;
}
