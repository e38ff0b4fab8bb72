/** `ablate show` (not built yet). */
import { UsageError } from '../errors.js';

export async function showCommand(_args: string[]): Promise<number> {
  throw new UsageError('show: not available yet');
}
