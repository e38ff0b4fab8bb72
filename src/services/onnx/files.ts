/**
 * Crash-safe file writes for the ONNX service: the store's writeFileAtomic (hidden temp file in the
 * same folder, fsync, rename with a retry on Windows, folder fsync; see store/atomic.ts), with its
 * errors reported as OnnxError. Not a lock: two writers to the same path race, and the last
 * rename wins.
 */
import { errorMessage } from '../../engine/index.js';
import { writeFileAtomic as storeWriteFileAtomic, writeFilesAtomic } from '../store/atomic.js';
import { OnnxError } from './errors.js';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await storeWriteFileAtomic(path, data);
  } catch (err) {
    // The store's message names the file and says what failed ("<path>: cannot write the file: the disk is full").
    throw new OnnxError(errorMessage(err), { cause: err });
  }
}

/**
 * Writes a model and its report as a pair: both to temp files, then the report renamed into place
 * and the model last. On any failure neither is left, nor an earlier model at that path.
 */
export async function writeModelAndReport(modelPath: string, model: Uint8Array, reportPath: string, report: string): Promise<void> {
  try {
    await writeFilesAtomic(
      [
        [reportPath, report],
        [modelPath, model],
      ],
      [modelPath],
    );
  } catch (err) {
    throw new OnnxError(errorMessage(err), { cause: err });
  }
}
