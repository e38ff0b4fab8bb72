/**
 * Reads an experiment file's text within the size limit (limits.ts): a folder, device, pipe or
 * socket is refused by name before it is opened (a pipe would block, /dev/zero never ends), a file
 * over the limit before it is read, and at most limit + 1 bytes are ever read (a file that grows
 * while read is caught too). Errors of the file system itself (missing file, no permission) are
 * thrown as they are, for the caller to word; the others are ExperimentErrors. Main thread.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { ExperimentError } from './errors.js';
import { fileSizeIssue, MAX_EXPERIMENT_FILE_BYTES } from './limits.js';

export async function readExperimentFile(file: string): Promise<string> {
  const name = path.basename(file);
  const notFile = () =>
    new ExperimentError(name, [
      { path: '', message: `${file} is not a regular file (a folder, device, pipe or socket); an experiment is a .json file` },
    ]);
  if (!(await stat(file)).isFile()) throw notFile();
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notFile();
    const tooBig = fileSizeIssue(info.size);
    if (tooBig) throw new ExperimentError(name, [tooBig]);
    const buffer = Buffer.alloc(MAX_EXPERIMENT_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) throw new ExperimentError(name, [fileSizeIssue(length)!]);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}
