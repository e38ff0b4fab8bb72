/** `ablate run` (not built yet). */
import { UsageError } from '../errors.js';

export async function runCommand(_args: string[]): Promise<number> {
  throw new UsageError('run: not available yet');
}
