/** `ablate list` (not built yet). */
import { UsageError } from '../errors.js';

export async function listCommand(_args: string[]): Promise<number> {
  throw new UsageError('list: not available yet');
}
